// A projection worker reads the event store the aggregate hosts write — its
// binding and table — and a log it cannot read is an error, not a null.
import { describe, expect, it } from 'vitest';
import { counters, eventually, tallies, testEnv, uniqueId } from './helpers.js';

describe('projectionEntrypoint: the host’s event-store settings', () => {
  it('fills gaps and rebuilds from the configured binding and table', async () => {
    const id = uniqueId('ledger');
    for (const by of [1, 2, 3]) await counters(testEnv, { sync: true }).ledgerCounter(id).count({ by });
    expect(await tallies().TALLY_LEDGER.tally(id)).toEqual({ id, total: 6, history: '1,2,3' });
    // The events are in LEDGER_EVENTS.ledger_events only.
    const { results } = await testEnv.ESCF_EVENTS.prepare('SELECT 1 FROM escf_events WHERE aggregate_id = ?')
      .bind(id)
      .all();
    expect(results).toEqual([]);

    const started = await testEnv.TALLY_LEDGER.rebuild();
    expect(started.target).toBeGreaterThanOrEqual(3); // the head of ledger_events, not null
    await eventually(
      async () => {
        const status = await testEnv.TALLY_LEDGER.rebuildStep();
        return status?.status === 'done';
      },
      30_000,
      'the rebuild to finish',
    );
    expect(await tallies().TALLY_LEDGER.tally(id)).toEqual({ id, total: 6, history: '1,2,3' });
  });

  it('a log head it cannot read is EVENT_LOG_UNAVAILABLE, and the rebuild does not start', async () => {
    const failed = await testEnv.TALLY_MISCONFIGURED.rebuild().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(String((failed as Error).message)).toContain('no_such_events');
    expect(String((failed as Error).message)).toContain('LEDGER_EVENTS');
  });
});
