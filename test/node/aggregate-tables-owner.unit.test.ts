import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// An aggregate's Durable Object SQLite has one owner: AggregateStorage holds every
// statement on its tables (issue 14). Metrics and the outbox keep their state there
// through it, never with SQL of their own.

const src = fileURLToPath(new URL('../../packages/cloudflare/src', import.meta.url));
const OWNER = 'aggregate/aggregate-storage.ts';
/** Tables only an aggregate's Durable Object has (`escf_events` is also the D1 log's default name, so it is left out). */
const TABLES = [
  'escf_metrics',
  'escf_outbox_health',
  'escf_outbox_cursors',
  'escf_snapshot',
  'escf_identity',
  'escf_idempotency',
  'escf_retention',
];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Files outside the owner that name one of the aggregate's tables in SQL, or run SQL on a Durable Object's storage from metrics/ or outbox/. */
function aggregateTableOwnerViolations(root: string): string[] {
  const violations: string[] = [];
  for (const path of sourcesUnder(root)) {
    const file = relative(root, path).replaceAll('\\', '/');
    if (file === OWNER) continue;
    const text = readFileSync(path, 'utf8');
    for (const table of TABLES) {
      if (new RegExp(`['\`"\\s(]${table}['\`"\\s(]`).test(text) && /(FROM|INTO|TABLE|UPDATE)\s/.test(text))
        violations.push(`${file} names ${table}`);
    }
    if ((file.startsWith('metrics/') || file.startsWith('outbox/')) && /\bsql\.exec\b|\.sql\b/.test(text))
      violations.push(`${file} runs SQL`);
  }
  return violations;
}

describe("an aggregate's SQLite tables", () => {
  it('are read and written only by AggregateStorage (metrics and delivery health included)', () => {
    expect(aggregateTableOwnerViolations(src)).toEqual([]);
  });
});
