import {
  createExecutionContext,
  createScheduledController,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { aggregateClients } from '@escf/cloudflare';
import type { AdminRpc } from '@escf/cloudflare/admin';
import { ArchivingEventStore } from '@escf/cloudflare/archive';
import { unwrapReply } from '@escf/cloudflare/internal';
import { describe, expect, it } from 'vitest';
import { Ledger } from './system/src/ledger.js';
import worker, { ownScheduledRuns } from './system/workers/api/src/escf.generated.js';
import type { EscfEnv } from './system/workers/api/src/escf-env.generated.js';
import { LedgerTotalsEntrypoint } from './system/workers/totals/src/escf.generated.js';

const testEnv = env as unknown as EscfEnv & { ADMIN: AdminRpc; ESCF_ADMIN_READ_TOKEN: string; TOTALS_DB: D1Database };
const ledgers = aggregateClients({ ledger: { aggregate: Ledger, binding: 'LEDGER_AGGREGATE' } });

/** Invokes the generated worker's `scheduled` export as the cron trigger `cron` would. */
async function cronFires(cron: string): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ scheduledTime: Date.now(), cron }), testEnv, ctx);
  await waitOnExecutionContext(ctx);
}

/** Events a ledger's Durable Object still holds in its own storage. */
function localEvents(id: string): Promise<number> {
  const stub = testEnv.LEDGER_AGGREGATE.get(testEnv.LEDGER_AGGREGATE.idFromName(id));
  const inObject = runInDurableObject as unknown as (
    s: unknown,
    cb: (i: unknown, state: DurableObjectState) => number,
  ) => Promise<number>;
  return inObject(
    stub,
    (_, state) => state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM escf_events').one().n,
  );
}

/** The totals read model, as the projection wrote it. */
async function totals(): Promise<Record<string, unknown>[]> {
  return (await testEnv.TOTALS_DB.prepare('SELECT id, balance, entries FROM totals ORDER BY id').all()).results;
}

async function d1Rows(): Promise<number> {
  return (await testEnv.ESCF_EVENTS.prepare('SELECT COUNT(*) AS n FROM escf_events').first<{ n: number }>())!.n;
}

describe('the archiver escf generate writes (escf.config.ts `archive`)', () => {
  it('archives on its cron into R2, prunes the Durable Objects, leaves other crons to the user and reports to the console', async () => {
    const ledger = ledgers(testEnv, { sync: [] }).ledger;
    for (let i = 1; i <= 6; i++) await ledger('a').deposit({ amount: i });
    for (let i = 1; i <= 4; i++) await ledger('b').deposit({ amount: 10 });
    const log = new ArchivingEventStore(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE);
    const before = await log.readAll({ after: 0, limit: 100 });
    expect(before).toHaveLength(10);
    expect(await d1Rows()).toBe(10);

    // The user's own cron reaches the user's handler, and archives nothing.
    await cronFires('0 3 * * *');
    expect(ownScheduledRuns).toEqual(['0 3 * * *']);
    expect(await d1Rows()).toBe(10);

    // The archive cron runs the generated EventArchiver: keepLastEvents(2) leaves two events per ledger in D1.
    await cronFires('*/5 * * * *');
    expect(ownScheduledRuns).toEqual(['0 3 * * *']);
    expect(await d1Rows()).toBe(4);
    const segments = await testEnv.ESCF_ARCHIVE.list({ prefix: 'escf-archive/escf_events/segments/' });
    expect(segments.objects.length).toBeGreaterThan(0);
    // The whole log still reads as one, from R2 then D1.
    expect(await log.readAll({ after: 0, limit: 100 })).toEqual(before);

    // pruneDurableObjects: ['Ledger'] — the generated durableObjectRetention hooks pruned each object's own history.
    expect(await localEvents('a')).toBe(2);
    expect(await localEvents('b')).toBe(2);
    await expect(ledger('a').deposit({ amount: 100 })).resolves.toMatchObject({ version: 7 });
    expect(await ledgers(testEnv).ledger.state('a')).toEqual({ version: 7, state: { balance: 121, entries: 7 } });

    // The generated projection reads the archive, then D1: a rebuild after archiving sees every event.
    const projection = new LedgerTotalsEntrypoint(createExecutionContext(), testEnv);
    await projection.rebuild();
    for (let step = 0; (await projection.rebuildStep())?.status !== 'done'; step++) expect(step).toBeLessThan(20);
    expect(await totals()).toEqual([
      { id: 'a', balance: 121, entries: 7 },
      { id: 'b', balance: 40, entries: 4 },
    ]);

    // The console's admin entrypoint has the same archiver.
    const overview = unwrapReply(await testEnv.ADMIN.archive({ token: testEnv.ESCF_ADMIN_READ_TOKEN }));
    expect(overview).toMatchObject({ configured: true, status: { archive: { events: 6 }, d1: { events: 5 } } });
  });
});
