import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `@example` blocks in the TSDoc of the public packages may not name API
 * that does not exist (an example once called `aggregateSender`). Every
 * function an example calls, constructs or applies as a decorator by a bare
 * name must be declared in the example itself, be a JavaScript or Workers
 * global, or be exported by an ESCF package (as recorded in its API report,
 * packages/*\/etc/*.api.md). PascalCase names the example does not declare
 * are taken to be the reader's own classes (`User`, `CreateUser`); a
 * lowercase name of the reader's own code that the example does not declare
 * is listed on a `// given: name, …` line of the example.
 */
const root = join(import.meta.dirname, '..', '..');
const packages = join(root, 'packages');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : filesUnder(path);
    return /\.ts$/.test(name) && !/\.test(-d)?\.ts$/.test(name) ? [path] : [];
  });
}

const exported = new Set<string>();
for (const pkg of readdirSync(packages)) {
  const etc = join(packages, pkg, 'etc');
  let reports: string[] = [];
  try {
    reports = readdirSync(etc).filter((f) => f.endsWith('.api.md'));
  } catch {
    continue;
  }
  for (const report of reports) {
    const text = readFileSync(join(etc, report), 'utf8');
    for (const m of text.matchAll(
      /^export (?:declare )?(?:abstract )?(?:function|class|const|let|interface|type|enum) ([A-Za-z_$][\w$]*)/gm,
    ))
      exported.add(m[1]!);
  }
}

/** Globals of JavaScript, Web APIs and Workers that examples may call. */
const globals = new Set(
  `Array Boolean Date Error JSON Map Math Number Object Promise Proxy RangeError Reflect Request Response Set String Symbol TypeError URL WeakMap Headers
   crypto fetch structuredClone setTimeout clearTimeout console encodeURIComponent decodeURIComponent parseInt parseFloat
   require import super`.split(/\s+/),
);
/** Functions of the libraries the examples show ESCF with (Drizzle, Vitest). */
const libraries = new Set(['drizzle', 'eq', 'expect', 'describe', 'it']);
const keywords = new Set(
  'if for while switch catch function return await typeof async new void delete in of do else case yield throw'.split(
    ' ',
  ),
);

/** The `@example` code blocks of one source file. */
function examplesOf(source: string): string[] {
  const found: string[] = [];
  for (const comment of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const text = comment[0]
      .split('\n')
      .map((line) => line.replace(/^\s*\*\s?/, ''))
      .join('\n');
    for (const example of text.matchAll(/@example[\s\S]*?```(?:ts|typescript)?\n([\s\S]*?)```/g))
      found.push(example[1]!);
  }
  return found;
}

/** Bare names the example calls (`x(`), constructs (`new X`) or applies as decorators (`@X`), but does not declare. */
function undeclaredCalls(code: string): string[] {
  const given = [...code.matchAll(/\/\/\s*given:\s*(.*)$/gm)].flatMap((m) => m[1]!.split(/[,\s]+/).filter(Boolean));
  const withoutStrings = code.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`|\/\/.*$/gm, "''");
  const declared = new Set<string>(given);
  // Method declarations: a line that starts `name(…) {` or `protected async name(…): T {`.
  for (const m of withoutStrings.matchAll(
    /^\s*(?:(?:async|static|protected|private|public|override|readonly|get|set)\s+)*([A-Za-z_$][\w$]*)\s*\([^\n]*\)\s*(?::[^\n{]*)?\{/gm,
  ))
    declared.add(m[1]!);
  for (const m of withoutStrings.matchAll(
    /\b(?:function|const|let|var|class|interface|type|enum|import)\s+\{?\s*([A-Za-z_$][\w$]*)/g,
  ))
    declared.add(m[1]!);
  for (const m of withoutStrings.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const name of m[1]!.split(','))
      declared.add(
        name
          .trim()
          .split(/\s+as\s+/)
          .at(-1)!
          .replace(/^type\s+/, ''),
      );
  for (const m of withoutStrings.matchAll(/\b(?:const|let|var)\s+\{([^}]*)\}/g))
    for (const name of m[1]!.split(',')) declared.add(name.trim().split(':').at(-1)!.trim());
  for (const m of withoutStrings.matchAll(/\(([^()]*)\)\s*(?::[^=]*)?=>/g))
    for (const name of m[1]!.split(',')) declared.add(name.trim().split(/[:=\s]/)[0]!);
  for (const m of withoutStrings.matchAll(/\b([A-Za-z_$][\w$]*)\s*=>/g)) declared.add(m[1]!);
  const used = new Set<string>();
  for (const m of withoutStrings.matchAll(/(^|[^.\w$])([A-Za-z_$][\w$]*)\s*(?:<[^<>()]*>)?\(/g)) used.add(m[2]!);
  for (const m of withoutStrings.matchAll(/\bnew\s+([A-Za-z_$][\w$]*)/g)) used.add(m[1]!);
  for (const m of withoutStrings.matchAll(/@([A-Za-z_$][\w$]*)/g)) used.add(m[1]!);
  return [...used].filter(
    (name) =>
      !declared.has(name) &&
      !exported.has(name) &&
      !globals.has(name) &&
      !libraries.has(name) &&
      !keywords.has(name) &&
      // The reader's own classes and event definitions.
      !/^[A-Z]/.test(name),
  );
}

const sources = readdirSync(packages).flatMap((pkg) => {
  try {
    return filesUnder(join(packages, pkg, 'src'));
  } catch {
    return [];
  }
});
const examples = sources.flatMap((file) =>
  examplesOf(readFileSync(file, 'utf8')).map((code, index) => [`${relative(root, file)} #${index + 1}`, code] as const),
);

describe('TSDoc @example blocks of the packages', () => {
  it('finds the API reports and the examples', () => {
    expect(exported.has('durableObjectFor')).toBe(true);
    expect(examples.length).toBeGreaterThan(20);
  });

  it('the check catches a name that does not exist', () => {
    expect(undeclaredCalls("const send = aggregateSender(env, [Account]);\nawait send('a').open({});")).toEqual([
      'aggregateSender',
    ]);
    expect(undeclaredCalls("const c = aggregateClients({ user: { aggregate: User, binding: 'U' } });")).toEqual([]);
  });

  it.each(examples)('%s calls only names it declares, globals, or ESCF exports', (_where, code) => {
    expect(undeclaredCalls(code)).toEqual([]);
  });
});
