import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { check } from './commands/check.js';
import { deploy } from './commands/deploy.js';
import { dev } from './commands/dev.js';
import { describeGenerate, generate } from './commands/generate.js';
import { init } from './commands/init.js';

const USAGE = `Usage: escf <command> [options]

Commands:
  generate   write each worker's entry module, Env type, D1 migrations and
             wrangler.jsonc bindings from escf.config.ts
  check      exit 1, with a diff, when anything generated is stale
  dev        apply local D1 migrations, then run every worker in one wrangler dev
  deploy     apply D1 migrations (--remote), then deploy every worker in
             dependency order
  init       add ESCF to the Worker project in the current directory

Options:
  -c, --config <path>          the system definition (default: ./escf.config.ts)
      --port <n>               dev: the API's port (default 8787)
      --inspector-port <n>     dev: wrangler's inspector port
      --persist-to <dir>       dev: local state (default .wrangler/state)
      --reset                  dev: delete the local state first
      --dry-run                deploy: check every step with wrangler deploy --dry-run,
                               list the migrations, deploy nothing
      --local-packages <dir>   init: depend on packed @escf tarballs (file:)
      --no-install             init: skip npm install and escf generate
      --debug                  print stack traces of unexpected errors
  -h, --help`;

const COMMANDS = ['generate', 'check', 'dev', 'deploy', 'init'] as const;
type CommandName = (typeof COMMANDS)[number];

/** Runs the CLI; returns the process exit code. Errors are printed as one clear message. */
export async function main(argv: readonly string[], out = console.log, err = console.error): Promise<number> {
  let values: {
    config?: string;
    help?: boolean;
    debug?: boolean;
    port?: string;
    'inspector-port'?: string;
    'persist-to'?: string;
    reset?: boolean;
    'dry-run'?: boolean;
    'local-packages'?: string;
    'no-install'?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        debug: { type: 'boolean' },
        port: { type: 'string' },
        'inspector-port': { type: 'string' },
        'persist-to': { type: 'string' },
        reset: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'local-packages': { type: 'string' },
        'no-install': { type: 'boolean' },
      },
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
  if (rest.length > 0 || !COMMANDS.includes(command as CommandName)) {
    err(`escf: unknown command '${positionals.join(' ')}'.\n\n${USAGE}`);
    return 2;
  }
  const port = (name: 'port' | 'inspector-port'): number | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) > 65_535)
      throw new UsageError(`--${name} expects a port number, got '${value}'.`);
    return Number(value);
  };
  const config = resolve(values.config ?? 'escf.config.ts');
  try {
    switch (command as CommandName) {
      case 'generate':
        out(describeGenerate(await generate({ config }), config));
        return 0;
      case 'check': {
        const result = await check({ config });
        (result.ok ? out : err)(result.report);
        return result.ok ? 0 : 1;
      }
      case 'dev':
        return await dev({
          config,
          port: port('port'),
          inspectorPort: port('inspector-port'),
          persistTo: values['persist-to'],
          reset: values.reset,
          log: out,
        });
      case 'deploy': {
        const result = await deploy({ config, dryRun: values['dry-run'], log: out });
        return result.ok ? 0 : 1;
      }
      case 'init':
        await init({ localPackages: values['local-packages'], install: !values['no-install'], log: out });
        return 0;
    }
  } catch (error) {
    // ConfigError and core's DefinitionError carry a message written for the user.
    const expected =
      error instanceof Error &&
      (error.name === 'ConfigError' || error.name === 'DefinitionError' || error instanceof UsageError);
    if (expected || !values.debug) err(`escf ${command}: ${error instanceof Error ? error.message : String(error)}`);
    else err(error);
    if (!expected && !values.debug) err('(unexpected error: run with --debug for the stack trace)');
    return error instanceof UsageError ? 2 : 1;
  }
}

class UsageError extends Error {}
