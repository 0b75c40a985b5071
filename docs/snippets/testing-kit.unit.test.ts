import { runSaga } from '@escf/cloudflare/delivery';
import {
  InMemoryAggregates,
  inStream,
  processScenario,
  projectionScenario,
  scenario,
  TestClock,
  TestWorkflowStep,
} from '@escf/testing';
import { expect, it, vi } from 'vitest';
import { AnnounceBigIncrements, COUNTER_TOTALS_SCHEMA, CounterTotals } from './counter-totals.js';
import { Counter, Incremented, Reset } from './readme-counter.js';

const totals = projectionScenario(CounterTotals, { schema: COUNTER_TOTALS_SCHEMA });

it('projects counters (and checks idempotence and rebuild = live for free)', async () => {
  await totals
    .given(
      inStream(Counter, 'c1', new Incremented({ by: 2 }), new Reset({ reason: 'oops' }), new Incremented({ by: 5 })),
    )
    .thenQuery('total', ['c1'], 5);
  // History as stored, at any schema version, is upcast on the way in.
  await totals
    .given(inStream(Counter, 'c2', { type: 'Incremented', schemaVersion: 1, payload: { by: 3 } }))
    .thenRows('SELECT * FROM totals', [{ counter_id: 'c2', total: 3 }]);
});

it('announces big increments once, and sends an idempotent command', async () => {
  const announce = vi.fn(async (_text: string) => {});
  const announcer = processScenario(AnnounceBigIncrements, { effects: { announce } });
  await announcer.when(inStream(Counter, 'c1', new Incremented({ by: 60 }))).thenCommands({
    aggregateId: 'audit-c1',
    command: 'increment',
    input: { by: 1 },
    idempotencyKey: expect.stringMatching(/^announce-big-increments:/),
  });
  expect(announce).toHaveBeenCalledOnce(); // the scenario redelivered the event: nothing ran twice
  await announcer.when(inStream(Counter, 'c1', new Incremented({ by: 1 }))).thenNothing();
});

it('reads old history, controls time and reads in-memory state', async () => {
  await scenario(Counter)
    .givenStored({ type: 'Incremented', schemaVersion: 1, payload: { by: 4 } })
    .when('increment', { by: 1 })
    .thenState({ count: 5 });

  const clock = new TestClock(Date.UTC(2026, 0, 1));
  const host = new InMemoryAggregates(undefined, { clock });
  clock.advance({ days: 1 });
  const { events } = await host.client(Counter, 'c1').increment({ by: 1 });
  expect(events[0]!.timestamp).toBe(Date.UTC(2026, 0, 2));
  expect(await host.state(Counter, 'c1')).toEqual({ version: 1, state: { count: 1 } });
});

it('runs a saga step by step, compensating when a step fails', async () => {
  const step = new TestWorkflowStep({ fail: ['ship'] });
  const outcome = await runSaga(step.asWorkflowStep(), async (saga) => {
    await saga.step(
      'charge',
      async () => ({ paymentId: 'p1' }),
      async () => ({ refunded: true }),
    );
    await saga.step('ship', async () => ({ trackingId: 't1' }));
  });
  expect(outcome.status).toBe('compensated');
  expect(step.names()).toEqual(['charge', 'ship', 'compensate: charge']);
});
