// @ts-check
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, delimiter, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { localPackageSpecs, ownVersion, pinDependencies, UsageError } from './dependencies.mjs';
import { copyTemplate } from './project-files.mjs';
import { terminalPrompts } from './prompts.mjs';
import { TEMPLATES, templateDir } from './templates.mjs';

const USAGE = `Usage: npm create escf@latest [<dir>] [-- options]
       create-escf [<dir>] [options]

Options:
  --template <name>         ${TEMPLATES.map((t) => t.value).join(' | ')} (default: minimal)
  --yes, -y                 no questions: the defaults for everything not given
  --no-install              do not run npm install (and escf generate) afterwards
  --local-packages <dir>    depend on packed @escf tarballs in <dir> (file:) instead of
                            registry versions: to try ESCF before a release
  --help, -h`;

/**
 * Scaffolds a project; returns the exit code.
 *
 * @param {string[]} argv
 * @returns {Promise<number>}
 */
export async function main(argv) {
  /** @type {{ template?: string, yes?: boolean, 'no-install'?: boolean, 'local-packages'?: string, help?: boolean }} */
  let values;
  /** @type {string[]} */
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        template: { type: 'string', short: 't' },
        yes: { type: 'boolean', short: 'y' },
        'no-install': { type: 'boolean' },
        'local-packages': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`create-escf: ${/** @type {Error} */ (error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const interactive = !values.yes && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const prompts = interactive ? terminalPrompts() : undefined;
  try {
    if (positionals.length > 1) throw new UsageError(`one directory, got ${positionals.join(' ')}.`);
    let dir = positionals[0];
    if (dir === undefined) {
      if (!prompts) throw new UsageError('name the project directory, e.g. npm create escf@latest my-app');
      dir = await prompts.text('Project directory?', 'my-escf-app');
    }
    const target = resolve(dir);
    refuseNonEmpty(target);
    const template = values.template ?? (prompts ? await prompts.choose('Which template?', TEMPLATES) : 'minimal');
    if (!TEMPLATES.some((t) => t.value === template))
      throw new UsageError(`unknown template '${template}'; choose ${TEMPLATES.map((t) => t.value).join(' or ')}.`);
    const install = values['no-install']
      ? false
      : prompts
        ? await prompts.confirm('Install the dependencies now (npm install)?', true)
        : true;
    const local = values['local-packages'] === undefined ? undefined : localPackageSpecs(values['local-packages']);

    const name = packageName(basename(target));
    copyTemplate(templateDir(template), target, systemName(name));
    pinDependencies(target, { name, version: ownVersion(), local });
    console.log(
      `Created ${name} from the ${template} template in ${target}${local ? ' (with the local @escf tarballs)' : ''}.`,
    );

    if (install) {
      console.log('Installing the dependencies (npm install)…');
      if (!run('npm', ['install', '--no-audit', '--no-fund'], target)) {
        console.error(
          `create-escf: npm install failed (see above). The project is in ${target}: fix the cause, then npm install there.`,
        );
        return 1;
      }
      // The template ships its generated files; regenerating proves them current for this project.
      if (!run('npx', ['escf', 'generate'], target)) {
        console.error('create-escf: escf generate failed (see above).');
        return 1;
      }
    }
    const fromHere = relative(process.cwd(), target);
    const cd = fromHere.startsWith('..') ? target : fromHere;
    console.log(
      `\nNext:\n${cd ? `  cd ${cd}\n` : ''}${install ? '' : '  npm install\n'}  npm run dev     # the API on http://localhost:8787 (its OpenAPI at /openapi.json)\n  npm test`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`create-escf: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    prompts?.close();
  }
}

/** @param {string} target */
function refuseNonEmpty(target) {
  if (!existsSync(target)) return;
  const entries = readdirSync(target);
  if (entries.length > 0) {
    throw new UsageError(
      `${target} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}). Choose a new directory or empty this one; nothing was written.`,
    );
  }
}

/**
 * A valid npm package name from the directory name.
 *
 * @param {string} dirName
 */
function packageName(dirName) {
  return (
    dirName
      .toLowerCase()
      .replace(/[^a-z0-9-._~]+/g, '-')
      .replace(/^[-._]+/, '') || 'escf-app'
  );
}

/**
 * The system name (prefix of worker and database names): lower-case letters, digits and '-'.
 *
 * @param {string} name
 */
function systemName(name) {
  return (
    name
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^[^a-z]+/, '')
      .replace(/-+$/, '') || 'app'
  );
}

/**
 * Runs a command with the project's node_modules/.bin first on PATH (its Node 22 and tools).
 *
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 */
function run(command, args, cwd) {
  const PATH = [join(cwd, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
  const result = spawnSync(process.platform === 'win32' ? `${command}.cmd` : command, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, PATH },
  });
  return result.status === 0;
}
