import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { WorkerEntrypoint } from 'cloudflare:workers';
import { retention } from '@escf/core/retention';
import { makeEvents } from '@escf/testing/conformance';
import { describe, expect, it } from 'vitest';
import {
  type ArchiveBatchesReport,
  ArchivingEventStore,
  EventArchiver,
  withArchiveSchedule,
} from '../../src/archive/index.js';
import { freshTable, testEnv } from './helpers.js';
import type { Env } from './worker.js';

const ARCHIVE_CRON = '*/15 * * * *';

/** The options `escf generate` passes: the archiver on its cron, over a table of this test's own. */
async function scheduleOver(reports: ArchiveBatchesReport[]) {
  const table = await freshTable('sched');
  const log = new ArchivingEventStore(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, { table });
  const stream = { aggregateType: 'Sched', aggregateId: 'one' };
  await log.append(stream, makeEvents(stream, 1, 1), { expectedVersion: 0 });
  await log.append(stream, makeEvents(stream, 2, 1), { expectedVersion: 1 });
  await log.append(stream, makeEvents(stream, 3, 1), { expectedVersion: 2 });
  const options = {
    cron: ARCHIVE_CRON,
    archiver: (env: Env) =>
      new EventArchiver(env.ESCF_EVENTS, env.ESCF_ARCHIVE, {
        table,
        retention: { default: retention.keepLastEvents(1) },
      }),
    onReport: (report: ArchiveBatchesReport) => void reports.push(report),
  };
  return options;
}

const controller = (cron: string) => createScheduledController({ scheduledTime: Date.now(), cron });

describe("withArchiveSchedule: the archiver's cron added to a worker's default export", () => {
  it('an object of handlers keeps its fetch; the archive cron archives, other crons reach its own scheduled', async () => {
    const reports: ArchiveBatchesReport[] = [];
    const own: string[] = [];
    const handler = withArchiveSchedule(
      {
        fetch: async () => new Response('own fetch'),
        scheduled: async (c: ScheduledController) => void own.push(c.cron),
      },
      await scheduleOver(reports),
    );
    expect(await (await handler.fetch!(new Request('https://x/'), testEnv, createExecutionContext())).text()).toBe(
      'own fetch',
    );
    const ctx = createExecutionContext();
    await handler.scheduled!(controller('0 3 * * *'), testEnv, ctx);
    expect(own).toEqual(['0 3 * * *']);
    expect(reports).toEqual([]);
    await handler.scheduled!(controller(ARCHIVE_CRON), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(own).toEqual(['0 3 * * *']);
    expect(reports).toMatchObject([{ events: 2, more: false }]);
  });

  it('a WorkerEntrypoint class stays a class: its own scheduled gets other crons, the archive cron archives', async () => {
    const reports: ArchiveBatchesReport[] = [];
    const own: string[] = [];
    class Own extends WorkerEntrypoint<Env> {
      override async fetch(): Promise<Response> {
        return new Response('own class');
      }
      override async scheduled(c: ScheduledController): Promise<void> {
        own.push(c.cron);
      }
    }
    const Composed = withArchiveSchedule(Own, await scheduleOver(reports));
    const instance = new Composed(createExecutionContext(), testEnv);
    expect(instance).toBeInstanceOf(Own);
    expect(await (await instance.fetch()).text()).toBe('own class');
    await instance.scheduled(controller('0 3 * * *'));
    await instance.scheduled(controller(ARCHIVE_CRON));
    expect(own).toEqual(['0 3 * * *']);
    expect(reports).toMatchObject([{ events: 2 }]);
  });

  it('no default export of its own: only the archiver', async () => {
    const reports: ArchiveBatchesReport[] = [];
    const handler = withArchiveSchedule(undefined, await scheduleOver(reports));
    expect(Object.keys(handler)).toEqual(['scheduled']);
    await handler.scheduled!(controller(ARCHIVE_CRON), testEnv, createExecutionContext());
    expect(reports).toMatchObject([{ events: 2 }]);
    // A cron nobody handles is a warning, not a failure.
    await expect(
      handler.scheduled!(controller('0 0 * * *'), testEnv, createExecutionContext()),
    ).resolves.toBeUndefined();
  });
});
