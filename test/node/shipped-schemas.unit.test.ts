import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMigrationSources } from '../../packages/cli/src/generate/migrations-generator.js';
// @ts-expect-error: a plain .mjs script without types
import { EMBEDDED_SCHEMAS, embeddedSchema } from '../../packages/cloudflare/scripts/embed-schemas.mjs';
import { PROCESS_SCHEMA } from '../../packages/cloudflare/src/process/process-schema.js';
import { PROJECTION_SCHEMA } from '../../packages/cloudflare/src/projection/projection-schema.js';

// Every D1 schema ships once, as a .sql file: `escf generate` copies it, the runtime embeds it.
const cloudflareDir = fileURLToPath(new URL('../../packages/cloudflare', import.meta.url));
const read = (path: string) => readFileSync(`${cloudflareDir}/${path}`, 'utf8');

describe('shipped D1 schemas', () => {
  it('the runtime embeds the current migrations/*.sql (run `npm run embed-schemas -w @escf/cloudflare` after editing them)', () => {
    for (const schema of EMBEDDED_SCHEMAS as Array<{ module: string }>) {
      expect(read(schema.module) === embeddedSchema(schema), schema.module).toBe(true);
    }
  });

  it('the generator and the runtime apply the same SQL', () => {
    const sources = readMigrationSources(cloudflareDir);
    expect(sources.projection.map((m) => m.sql)).toEqual([PROJECTION_SCHEMA]);
    expect(sources.process.map((m) => m.sql)).toEqual([PROCESS_SCHEMA]);
    expect(sources.eventStore.map((m) => m.name)).toEqual(['0001_escf_events.sql']);
  });

  it('projections and processes keep stuck streams in tables of one shape', () => {
    const failureTable = (sql: string, table: string, owner: string) =>
      /CREATE TABLE IF NOT EXISTS (\w+_failures) \(([^;]+)\)/
        .exec(sql)!
        .slice(1)
        .join('|')
        .replaceAll(table, 'T')
        .replaceAll(owner, 'O');
    expect(failureTable(PROJECTION_SCHEMA, 'escf_projection_failures', 'projection')).toBe(
      failureTable(PROCESS_SCHEMA, 'escf_process_failures', 'process'),
    );
  });
});
