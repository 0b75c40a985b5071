import { runDurableObjectAlarm } from 'cloudflare:test';
import { EventTooLargeError } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { durableObjectName } from '../../src/aggregate/aggregate-address.js';
import { QUEUE_EVENT_MAX_BYTES, STORED_EVENT_MAX_BYTES } from '../../src/aggregate/event-size-limit.js';
import { aggregates, d1Events, doSql, stubOf, testEnv, uniqueId } from '../helpers.js';

// A payload that cannot travel is refused at command time — never found
// later, stuck in the outbox.
describe('event size limits', () => {
  it('refuses an event a queue message cannot hold, storing nothing', async () => {
    const id = uniqueId('queued-note');
    const error = await aggregates(testEnv)
      .queuedNote(id)
      .write({ text: 'x'.repeat(QUEUE_EVENT_MAX_BYTES) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect(error).toMatchObject({
      code: 'EVENT_TOO_LARGE',
      details: { type: 'NoteWritten', limit: QUEUE_EVENT_MAX_BYTES },
    });
    expect((error as Error).message).toMatch(/128 KB per message.*R2/);
    const stub = stubOf(testEnv.QUEUED_NOTE_AGGREGATE, durableObjectName({ aggregateId: id }));
    expect(await doSql(stub, "SELECT name FROM sqlite_master WHERE name LIKE 'escf%'")).toEqual([]); // no tables: nothing stored
  });

  it('accepts an event just under the queue limit and delivers it to D1 and the queue', async () => {
    const id = uniqueId('queued-note');
    const result = await aggregates(testEnv)
      .queuedNote(id)
      .write({ text: 'x'.repeat(QUEUE_EVENT_MAX_BYTES - 1_000) });
    const stub = stubOf(testEnv.QUEUED_NOTE_AGGREGATE, durableObjectName({ aggregateId: id }));
    await runDurableObjectAlarm(stub);
    expect(await d1Events(id)).toHaveLength(1);
    // Every target's cursor passed the event: nothing is stuck in the outbox.
    const cursors = await doSql<{ target: string; delivered_version: number }>(
      stub,
      'SELECT target, delivered_version FROM escf_outbox_cursors ORDER BY target',
    );
    expect(cursors).toEqual([
      { target: 'd1', delivered_version: result.version },
      { target: 'queue:EVENTS_QUEUE', delivered_version: result.version },
    ]);
  });

  it('lets an aggregate without queues store larger events, up to the row limit', async () => {
    const id = uniqueId('local-note');
    const notes = aggregates(testEnv).localNote(id);
    await expect(notes.write({ text: 'x'.repeat(500 * 1024) })).resolves.toMatchObject({ version: 1 });
    await expect(notes.write({ text: 'x'.repeat(STORED_EVENT_MAX_BYTES) })).rejects.toMatchObject({
      code: 'EVENT_TOO_LARGE',
    });
    expect(await aggregates(testEnv).localNote.state(id)).toMatchObject({ version: 1 });
  });
});
