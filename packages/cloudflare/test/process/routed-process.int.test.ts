// An ordered process sent only the event types it handles: versions the
// outbox skipped are no gap to read from the log.
import { createExecutionContext } from 'cloudflare:test';
import type { EventEnvelope } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { ROUTED_AFTER } from '../../src/delivery/routed-after.js';
import { envelope, testEnv, uniqueId } from '../projection/helpers.js';
import { OrderedNotifierProcess } from '../projection/worker.js';

const ordered = () => new OrderedNotifierProcess(createExecutionContext(), testEnv);
const routedAfter = (event: EventEnvelope, after: number): EventEnvelope => ({
  ...event,
  metadata: { ...event.metadata, [ROUTED_AFTER]: after },
});

describe('an ordered process sent only its event types', () => {
  it('handles routed events in order without reading the skipped versions from the log', async () => {
    // Not in the log at all: any gap fill would find nothing and fail.
    const id = uniqueId('routed-process');
    const v1 = envelope(id, 1, 'Counted', { by: 1 }, 2);
    const v4 = routedAfter(envelope(id, 4, 'Counted', { by: 4 }, 2), 1);
    const v6 = routedAfter(envelope(id, 6, 'Counted', { by: 6 }, 2), 4);
    expect(await ordered().deliver([v1, v4, v6])).toEqual({ handled: 3, duplicates: 0, busy: 0 });
    const { results } = await testEnv.NOTIFIER_DB.prepare('SELECT detail FROM effects WHERE target = ? ORDER BY n')
      .bind(id)
      .all<{ detail: string }>();
    expect(results.map((r) => r.detail)).toEqual(['counted 1 at v1', 'counted 4 at v4', 'counted 6 at v6']);
    expect(await ordered().deliver([v4, v6])).toEqual({ handled: 0, duplicates: 2, busy: 0 });
  });

  it('still treats a missing routed event as a gap', async () => {
    const id = uniqueId('routed-process-gap');
    const v1 = envelope(id, 1, 'Counted', { by: 1 }, 2);
    const v6 = routedAfter(envelope(id, 6, 'Counted', { by: 6 }, 2), 4); // version 4 was routed and never came
    await ordered().deliver([v1]);
    await expect(ordered().deliver([v6])).rejects.toThrow(/returned 0 of the 4 missing events/);
  });
});
