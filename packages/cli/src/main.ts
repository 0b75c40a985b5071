import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { check } from './commands/check.js';
import { describeGenerate, generate } from './commands/generate.js';

const USAGE = `Usage: escf <command> [--config escf.config.ts]

Commands:
  generate   write each worker's entry module, Env type, D1 migrations and
             wrangler.jsonc bindings from escf.config.ts
  check      exit 1, with a diff, when anything generated is stale

Options:
  -c, --config <path>   the system definition (default: ./escf.config.ts)
      --debug           print stack traces of unexpected errors
  -h, --help`;

/** Runs the CLI; returns the process exit code. Errors are printed as one clear message. */
export async function main(argv: readonly string[], out = console.log, err = console.error): Promise<number> {
  let values: { config?: string; help?: boolean; debug?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' }, debug: { type: 'boolean' } },
    }));
  } catch (error) {
    err(`escf: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    (values.help ? out : err)(USAGE);
    return values.help ? 0 : 2;
  }
  if (rest.length > 0 || (command !== 'generate' && command !== 'check')) {
    err(`escf: unknown command '${positionals.join(' ')}'.\n\n${USAGE}`);
    return 2;
  }
  const config = resolve(values.config ?? 'escf.config.ts');
  try {
    if (command === 'generate') {
      out(describeGenerate(await generate({ config }), config));
      return 0;
    }
    const result = await check({ config });
    (result.ok ? out : err)(result.report);
    return result.ok ? 0 : 1;
  } catch (error) {
    // ConfigError and core's DefinitionError carry a message written for the user.
    const expected = error instanceof Error && (error.name === 'ConfigError' || error.name === 'DefinitionError');
    if (expected || !values.debug) err(`escf ${command}: ${error instanceof Error ? error.message : String(error)}`);
    else err(error);
    if (!expected && !values.debug) err('(unexpected error: run with --debug for the stack trace)');
    return 1;
  }
}
