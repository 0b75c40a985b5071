import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layout is the architecture: which concept folder of a package may
// import which other one. A new edge is a design decision — add it here on
// purpose, never to make this test pass by reflex.

const root = fileURLToPath(new URL('../..', import.meta.url));

/** packages/cloudflare/src: folder → folders it may import. */
const cloudflareLayout: Record<string, readonly string[]> = {
  admin: [
    'aggregate',
    'archive',
    'event-store',
    'http',
    'metrics',
    'outbox',
    'process',
    'projection',
    'rpc',
    'security',
  ],
  // The host never imports the archive: retention reaches it through ports (pruned-history.ts, retain-request.ts).
  aggregate: ['admin', 'crypto-shredding', 'event-store', 'metrics', 'observability', 'outbox', 'rpc', 'uniqueness'],
  archive: ['aggregate', 'event-store', 'http', 'rpc', 'security'],
  'crypto-shredding': [],
  metrics: ['admin', 'rpc'],
  observability: [],
  delivery: ['process', 'projection'],
  'event-store': [],
  http: [],
  outbox: ['aggregate', 'delivery', 'event-store', 'observability'],
  process: ['aggregate', 'delivery', 'event-store', 'http', 'observability', 'projection'],
  projection: ['delivery', 'event-store', 'observability', 'rpc'],
  'rate-limit': [],
  rpc: [],
  security: [],
  'test-support': ['aggregate'],
  uniqueness: ['aggregate'],
};

/** packages/core/src: folder → folders it may import. */
const coreLayout: Record<string, readonly string[]> = {
  aggregate: ['auth', 'errors', 'events', 'metadata', 'schema'],
  auth: ['errors'],
  // DTO support: class-validator stays out of core unless this entry is imported.
  'class-validator': ['errors', 'schema'],
  client: ['aggregate', 'auth', 'events'],
  clock: [],
  conventions: [],
  engine: ['aggregate', 'auth', 'client', 'errors', 'events', 'platform', 'registry', 'schema', 'upcast'],
  errors: ['client'],
  events: ['errors', 'metadata', 'schema', 'upcast'],
  metadata: ['errors'],
  observability: ['platform'],
  platform: [],
  process: ['aggregate', 'client', 'conventions', 'errors', 'events', 'metadata', 'projection'],
  projection: ['aggregate', 'conventions', 'errors', 'events', 'metadata'],
  registry: ['aggregate', 'auth', 'errors', 'events', 'metadata', 'schema', 'upcast'],
  retention: ['store'],
  schema: ['errors'],
  store: ['events'],
  uniqueness: ['aggregate', 'errors'],
  upcast: ['errors', 'events', 'metadata', 'schema'],
};

/** Every non-test TypeScript file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(name) ? [path] : [];
  });
}

/** Every file under `dir`. */
function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

/** Module specifiers a file imports or re-exports (static and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);
}

/** `folder/file.ts imports ../other` for every edge the layout does not allow. */
function layoutViolations(srcDir: string, layout: Record<string, readonly string[]>): string[] {
  const violations: string[] = [];
  for (const folder of readdirSync(srcDir).filter((name) => statSync(join(srcDir, name)).isDirectory())) {
    const allowed = layout[folder];
    if (!allowed) {
      violations.push(`${folder}/ is not in the layout: add it with the folders it may import`);
      continue;
    }
    for (const file of sourceFiles(join(srcDir, folder))) {
      for (const specifier of importsOf(file)) {
        const target = /^\.\.\/([^/.]+)\//.exec(specifier)?.[1];
        if (target && target !== folder && !allowed.includes(target))
          violations.push(`${relative(srcDir, file)} imports ../${target}/`);
      }
    }
  }
  return violations;
}

/**
 * Framework tests use fixtures of their own, never an example's domain: an
 * example may change without breaking them. These two are checks OF an
 * example (the templates mirror it; a whole example deploys), not fixtures.
 */
const checksOfExamples = new Set([
  'packages/create-escf/test/templates.node.test.ts',
  'packages/cli/test/deploy-dry-run.node.test.ts',
]);

/** `file: specifier` for every file under `<base>/packages/*\/test` that reaches into `examples/` by a relative path. */
function testsReachingIntoExamples(base: string): string[] {
  const packages = join(base, 'packages');
  return readdirSync(packages).flatMap((pkg) => {
    const tests = join(packages, pkg, 'test');
    if (!existsSync(tests)) return [];
    return allFiles(tests)
      .filter((file) => /\.(ts|tsx|js|mjs|json|jsonc)$/.test(file))
      .map((file) => relative(base, file).split('\\').join('/'))
      .filter((file) => !checksOfExamples.has(file))
      .flatMap((file) =>
        [...readFileSync(join(base, file), 'utf8').matchAll(/['"`]((?:\.\.\/)+examples\/[^'"`]*)['"`]/g)].map(
          (match) => `${file}: ${match[1]}`,
        ),
      );
  });
}

describe('package layout', () => {
  it('packages/cloudflare/src folders import only the folders they may (the aggregate host never imports the archive)', () => {
    expect(layoutViolations(join(root, 'packages/cloudflare/src'), cloudflareLayout)).toEqual([]);
  });

  it('packages/core/src folders import only the folders they may', () => {
    expect(layoutViolations(join(root, 'packages/core/src'), coreLayout)).toEqual([]);
  });

  it('core never imports Cloudflare (runtime modules, types or ESCF adapters)', () => {
    const offending = sourceFiles(join(root, 'packages/core/src')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => /^(cloudflare:|@cloudflare\/|@escf\/(?!core))/.test(specifier))
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('binding names are built only by the conventions module the CLI and the runtime share', () => {
    const conventions = join(root, 'packages/core/src/conventions/naming.ts');
    const built = /(['"`])ESCF_EVENTS\1|\}_(QUEUE|DB|AGGREGATE)`|\}-dlq`/;
    const offending = ['cli', 'cloudflare', 'core', 'hono', 'testing'].flatMap((pkg) =>
      sourceFiles(join(root, 'packages', pkg, 'src'))
        .filter((file) => file !== conventions)
        .flatMap((file) =>
          readFileSync(file, 'utf8')
            .split('\n')
            .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line) && built.test(line))
            .map((line) => `${relative(root, file)}: ${line.trim()}`),
        ),
    );
    expect(offending).toEqual([]);
  });

  it('decorator metadata lives in the one metadata store; other module-level maps of core are caches of what it describes', () => {
    const caches = new Set([
      'process/describe-process.ts',
      'projection/describe-projection.ts',
      'registry/describe-aggregate.ts',
      'engine/command-engine.ts',
      'upcast/upcaster.ts',
    ]);
    const coreSrc = join(root, 'packages/core/src');
    const stores = sourceFiles(coreSrc)
      .map((file) => relative(coreSrc, file))
      .filter((file) => !file.startsWith('metadata/') && !caches.has(file))
      .filter((file) => /^(export )?const \w+ = new (Weak)?Map\b/m.test(readFileSync(join(coreSrc, file), 'utf8')));
    expect(stores).toEqual([]);
  });

  it('one privacy style: TypeScript `private`, and `#private` only in RPC classes (which expose every other member over RPC)', () => {
    const rpcClass = /extends (DurableObject|WorkerEntrypoint|WorkflowEntrypoint)\b/;
    const hashMember = /^\s+(?:readonly |async |get |static )*#\w+/m;
    const offending = ['cli', 'cloudflare', 'console', 'core', 'hono', 'testing'].flatMap((pkg) =>
      sourceFiles(join(root, 'packages', pkg, 'src')).flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const rpc = rpcClass.test(text);
        if (!rpc && hashMember.test(text)) return [`${relative(root, file)}: #private outside an RPC class`];
        if (rpc && /\bprivate (?:readonly |async |get |static )*\w+/.test(text))
          return [`${relative(root, file)}: TypeScript private in an RPC class (callable over RPC)`];
        return [];
      }),
    );
    expect(offending).toEqual([]);
  });

  it("one rule for where tests live: in the package's test/ folder, in the folder of the concept they test, never under src/", () => {
    const misplaced = readdirSync(join(root, 'packages')).flatMap((pkg) => {
      const src = join(root, 'packages', pkg, 'src');
      return statSync(join(root, 'packages', pkg)).isDirectory() && existsSync(src)
        ? allFiles(src)
            .filter((file) => /\.test(-d)?\.ts$/.test(file))
            .map((file) => relative(root, file))
        : [];
    });
    expect(misplaced).toEqual([]);
  });

  it('framework tests never import examples/: they have fixtures of their own', () => {
    expect(testsReachingIntoExamples(root)).toEqual([]);
  });

  it('finds a test that imports an example (the check itself works)', () => {
    const base = mkdtempSync(join(tmpdir(), 'escf-layout-'));
    try {
      mkdirSync(join(base, 'packages/hono/test/fixtures'), { recursive: true });
      writeFileSync(
        join(base, 'packages/hono/test/fixtures/user.ts'),
        "export { User } from '../../../../examples/users/src/domain/index.js';\n",
      );
      writeFileSync(join(base, 'packages/hono/test/own.unit.test.ts'), "import { User } from './fixtures/user.js';\n");
      expect(testsReachingIntoExamples(base)).toEqual([
        'packages/hono/test/fixtures/user.ts: ../../../../examples/users/src/domain/index.js',
      ]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('finds a forbidden edge (the check itself works)', () => {
    expect(layoutViolations(join(root, 'packages/cloudflare/src'), { ...cloudflareLayout, aggregate: [] })).toContain(
      'aggregate/durable-object-host.ts imports ../outbox/',
    );
  });
});
