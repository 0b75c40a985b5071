import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { makeEvents } from '@escf/testing/conformance';
import { describe, expect, it } from 'vitest';
import { ArchivingEventStore } from '../../src/archive/index.js';
import { readWholeLog, testEnv } from './helpers.js';
import worker, { SCHEDULED_TABLE, scheduledReports } from './worker.js';

const store = () => new ArchivingEventStore(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, { table: SCHEDULED_TABLE });

describe('archiving on a schedule and on demand', () => {
  it('the cron handler archives in bounded runs; the admin RPC and HTTP entry run it on demand and show status', async () => {
    const log = store();
    for (const id of ['s1', 's2', 's3']) {
      const stream = { aggregateType: 'Sched', aggregateId: id };
      for (let v = 1; v <= 6; v++) await log.append(stream, makeEvents(stream, v, 1), { expectedVersion: v - 1 });
    }
    const original = await readWholeLog(log);

    // Cron: runs of at most 4 rows until nothing is left (up to 10 runs).
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: '*/15 * * * *' }),
      testEnv as never,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const cron = scheduledReports.at(-1)!;
    expect(cron).toMatchObject({ events: 12, runs: 4, more: false }); // the third run fills its budget exactly; the fourth finds nothing
    expect(cron.status.d1.events).toBe(6);
    expect(cron.status.archive.events).toBe(12);
    expect(cron.r2Bytes).toBeGreaterThan(0);

    // More events; the admin RPC (budget: 2 runs of 4 rows) moves 8 of the 9 eligible and says there is more.
    for (const id of ['s1', 's2', 's3']) {
      const stream = { aggregateType: 'Sched', aggregateId: id };
      for (let v = 7; v <= 9; v++) await log.append(stream, makeEvents(stream, v, 1), { expectedVersion: v - 1 });
    }
    const onDemand = await testEnv.ARCHIVE_ADMIN.runArchive();
    expect(onDemand).toMatchObject({ runs: 2, events: 8, more: true });
    expect(await testEnv.ARCHIVE_ADMIN.archiveStatus()).toMatchObject({ d1: { events: 7 }, archive: { events: 20 } });

    // CLI-friendly HTTP: refused without the token, answered with it.
    const refused = await testEnv.ARCHIVE_ADMIN.fetch('https://admin/archive/status');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    for (const wrong of ['Bearer test-admin-toke', 'Bearer test-admin-tokeN', 'test-admin-token', 'Bearer ']) {
      expect(
        (await testEnv.ARCHIVE_ADMIN.fetch('https://admin/archive/status', { headers: { authorization: wrong } }))
          .status,
      ).toBe(401);
    }
    const auth = { authorization: 'Bearer test-admin-token' };
    const run = await testEnv.ARCHIVE_ADMIN.fetch('https://admin/archive/run', { method: 'POST', headers: auth });
    expect(await run.json()).toMatchObject({ events: 1, more: false });
    const status = await testEnv.ARCHIVE_ADMIN.fetch('https://admin/archive/status', { headers: auth });
    expect(await status.json()).toMatchObject({ d1: { events: 6, rows: 6 }, archive: { events: 21 } });

    const all = await readWholeLog(log);
    expect(all.slice(0, original.length)).toEqual(original);
    expect(all).toHaveLength(27);
  });
});
