import { describe, expect, it } from 'vitest';
import { ROUTED_AFTER } from '../../src/delivery/routed-after.js';
import { aggregates, doSql, stubOf, testEnv, uniqueId } from '../helpers.js';

describe('routing events to the subscribers that handle them', () => {
  it('sends each subscriber only its event types, naming the version it was last sent', async () => {
    const id = uniqueId('lamp');
    const lamp = aggregates(testEnv, { sync: true }).routedLamp(id);
    await lamp.switchOff({}); // 1
    await lamp.switchOn({}); // 2
    await lamp.switchOff({}); // 3
    await lamp.switchOff({}); // 4
    await lamp.switchOn({}); // 5

    // The service subscriber handles LampSwitchedOn: versions 2 and 5, nothing else.
    const delivered = (await testEnv.SUBSCRIBER.received()).filter((e) => e.aggregateId === id);
    expect(delivered.map((e) => [e.version, e.type, e.metadata?.[ROUTED_AFTER]])).toEqual([
      [2, 'LampSwitchedOn', 0],
      [5, 'LampSwitchedOn', 2],
    ]);

    // Every target's cursor passed all five events; the queue, routed nothing, was sent nothing.
    const cursors = Object.fromEntries(
      (
        await doSql<{ target: string; delivered_version: number }>(
          stubOf(testEnv.ROUTED_LAMP_AGGREGATE, id),
          'SELECT target, delivered_version FROM escf_outbox_cursors',
        )
      ).map((row) => [row.target, row.delivered_version]),
    );
    expect(cursors).toEqual({
      d1: 5,
      'queue:EVENTS_QUEUE': 5,
      'routed:queue:EVENTS_QUEUE': 0,
      'service:SUBSCRIBER': 5,
      'routed:service:SUBSCRIBER': 5,
    });
  });
});
