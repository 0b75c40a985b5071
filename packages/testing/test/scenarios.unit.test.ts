// The testing kit on the runtime's own test domain (Counter, Tally, Notifier),
// in plain Node over node:sqlite.

import { runSaga } from '@escf/cloudflare/delivery';
import { type Envelope, EventHandler, Process, type ProcessHandlerContext, Projection } from '@escf/core';
import { describe, expect, it, vi } from 'vitest';
import { AccountOpened, Deposited, Wallet } from '../../../docs/snippets/lens-context.js';
import { Counted, Counter, Measured, Poked } from '../../cloudflare/test/projection/counter-domain.js';
import { Notifier } from '../../cloudflare/test/projection/notifier-process.js';
import { TALLY_SCHEMA, Tally } from '../../cloudflare/test/projection/tally-projection.js';
import {
  InMemoryAggregates,
  inStream,
  processScenario,
  projectionScenario,
  scenario,
  sqliteD1Database,
  TestClock,
  TestWorkflowStep,
} from '../src/index.js';

describe('projectionScenario', () => {
  const tally = projectionScenario(Tally, { schema: TALLY_SCHEMA });

  it('applies events given as instances and as stored events at old schema versions, then answers queries', async () => {
    await tally
      .given(
        inStream(Counter, 'c1', new Counted({ by: 2 }), { type: 'Counted', schemaVersion: 1, payload: { amount: 3 } }),
        inStream(Counter, 'c2', { type: 'Measured', schemaVersion: 1, payload: { value: 7 } }, new Poked({})),
      )
      .thenQuery('tally', ['c1'], { id: 'c1', total: 5, history: '1,2' });
    await tally
      .given(inStream(Counter, 'c2', { type: 'Measured', schemaVersion: 1, payload: { value: 7 } }, new Poked({})))
      .thenRows('SELECT * FROM tally', [{ id: 'c2', total: 7, history: '1m,2p' }]);
  });

  it('catches a projection whose rebuild does not yield the live rows', async () => {
    // Its handler writes outside the checkpoint's batch and resetReadModel() forgets the table: a rebuild doubles the total.
    const leaky = projectionScenario(LeakyTally, { schema: TALLY_SCHEMA });
    await expect(leaky.given(inStream(Counter, 'c1', new Counted({ by: 1 }))).then(() => undefined)).rejects.toThrow(
      /rebuild from the log must yield/,
    );
  });

  it('asks for resetReadModel to check rebuilds, or an explicit opt-out', async () => {
    const noReset = projectionScenario(NoResetTally, { schema: TALLY_SCHEMA });
    await expect(noReset.given(new Counted({ by: 1 })).then(() => undefined)).rejects.toThrow(/add resetReadModel\(\)/);
    await projectionScenario(NoResetTally, { schema: TALLY_SCHEMA, checkRebuild: false })
      .given(new Counted({ by: 1 }))
      .thenQuery('tally', ['test-id'], { id: 'test-id', total: 1, history: '1' });
  });
});

describe('processScenario', () => {
  it('records the commands a process sends, with idempotency keys and causation, and the effects it calls; a redelivery runs nothing', async () => {
    const notify = vi.fn(async () => {});
    const notifier = processScenario(Notifier, { effects: { notify } });
    const { events } = await notifier
      .when(inStream(Counter, 'c1', new Counted({ by: 3 }), new Counted({ by: 150 })))
      .thenCommands({
        aggregateType: 'Counter',
        aggregateId: 'audit-c1',
        command: 'record',
        input: { from: 'c1', by: 150 },
      });
    expect(notify).toHaveBeenCalledTimes(2); // once per event: the scenario's redelivery ran nothing
    await notifier
      .when(inStream(Counter, 'c1', new Counted({ by: 3 })))
      .thenEffects({ name: 'notify', args: ['c1', 'counted 3 at v1'] });
    await notifier.when(inStream(Counter, 'c1', new Poked({}))).thenNothing();
    expect(events).toHaveLength(2);
  });

  it('sends commands to an in-memory host when given one', async () => {
    const aggregates = new InMemoryAggregates();
    const { commands } = await processScenario(Notifier, { effects: { notify: async () => {} }, aggregates })
      .when(inStream(Counter, 'c9', new Counted({ by: 500 })))
      .then(() => undefined);
    expect(commands[0]).toMatchObject({
      idempotencyKey: expect.stringMatching(/^notifier:/),
      causationId: expect.any(String),
    });
    expect(await aggregates.state(Counter, 'audit-c9')).toEqual({ version: 1, state: { total: 0 } });
    expect((await aggregates.store.readStream({ aggregateType: 'Counter', aggregateId: 'audit-c9' }))[0]).toMatchObject(
      { type: 'Recorded', payload: { from: 'c9', by: 500 } },
    );
  });

  it('delivers every event twice and checks that the second delivery ran nothing', async () => {
    const calls: string[] = [];
    const counting = processScenario(CountingProcess, { effects: { note: async (s: string) => void calls.push(s) } });
    await counting.when(new Counted({ by: 1 })).thenEffects({ name: 'note', args: ['1'] });
    expect(calls).toEqual(['1']);
  });
});

describe('aggregate scenarios, state reader and clock', () => {
  it('givenStored reads history at old schema versions through the lenses', async () => {
    await scenario(Counter)
      .givenStored(
        { type: 'Measured', schemaVersion: 1, payload: { value: 4 } },
        { type: 'Counted', schemaVersion: 1, payload: { amount: 1 } },
        new Counted({ by: 2 }),
      )
      .when('count', { by: 3 })
      .thenState({ total: 10 });
  });

  it('runs commands at the test clock: event timestamps follow it', async () => {
    const clock = new TestClock(Date.UTC(2026, 0, 1));
    const { events } = await scenario(Counter)
      .withClock(clock)
      .given()
      .when('count', { by: 1 })
      .thenEvents(new Counted({ by: 1 }));
    expect(events[0]!.timestamp).toBe(Date.UTC(2026, 0, 1));
    clock.advance({ days: 2 });
    const host = new InMemoryAggregates(undefined, { clock });
    const result = await host.client(Counter, 'x').count({ by: 1 });
    expect(result.events[0]!.timestamp).toBe(Date.UTC(2026, 0, 3));
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('reads an in-memory aggregate state', async () => {
    const host = new InMemoryAggregates();
    await host.client(Counter, 'a').count({ by: 2 });
    await host.client(Counter, 'a').measure({ amount: 3, unit: 'm' });
    expect(await host.state(Counter, 'a')).toEqual({ version: 2, state: { total: 5 } });
    expect(await host.state(Counter, 'nobody')).toEqual({ version: 0, state: { total: 0 } });
    void Measured;
  });
});

describe('TestWorkflowStep and runSaga', () => {
  it('records step results and runs compensations newest first when a step fails', async () => {
    const step = new TestWorkflowStep({ fail: ['ship'] });
    const outcome = await runSaga(step.asWorkflowStep(), async (saga) => {
      const { paymentId } = await saga.step(
        'charge',
        async () => ({ paymentId: 'p1' }),
        async () => ({ refunded: true }),
      );
      await saga.step(
        'reserve',
        async () => ({ reservation: 'r1' }),
        async () => null,
      );
      await saga.step('ship', async () => ({ trackingId: 't1' }));
      return paymentId;
    });
    expect(outcome).toEqual({
      status: 'compensated',
      error: "step 'ship' failed (TestWorkflowStep)",
      compensated: ['compensate: reserve', 'compensate: charge'],
    });
    expect(step.names()).toEqual(['charge', 'reserve', 'ship', 'compensate: reserve', 'compensate: charge']);
    expect(step.steps[0]).toEqual({ name: 'charge', result: { paymentId: 'p1' } });
  });
});

describe('sqliteD1Database', () => {
  it('commits a batch as one transaction', async () => {
    const db = await sqliteD1Database();
    await db.prepare('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)').run();
    await expect(
      db.batch([
        db.prepare('INSERT INTO t (id, v) VALUES (?1, ?2)').bind(1, 'a'),
        db.prepare('INSERT INTO t (id, v) VALUES (?1, NULL)').bind(2),
      ]),
    ).rejects.toThrow();
    expect((await db.prepare('SELECT COUNT(*) AS n FROM t').first<{ n: number }>())!.n).toBe(0);
    const run = await db.prepare('INSERT INTO t (id, v) VALUES (?, ?)').bind(3, true).run();
    expect(run.meta.changes).toBe(1);
    expect(await db.prepare('SELECT v FROM t WHERE id = ?').bind(3).first('v')).toBe('1');
  });
});

@Process('counting')
class CountingProcess {
  @EventHandler(Counted)
  async onCounted(e: Envelope<Counted>, { effects }: ProcessHandlerContext<{ note(s: string): Promise<void> }>) {
    await effects.note(String(e.payload.by));
  }
}

/** Writes outside the checkpoint's batch (awaited, not returned) and does not reset it: a rebuild doubles it. */
@Projection('leaky-tally')
class LeakyTally {
  constructor(private readonly env: { LEAKY_TALLY_DB: D1Database }) {}

  @EventHandler(Counted)
  async onCounted(e: Envelope<Counted>) {
    await this.env.LEAKY_TALLY_DB.prepare(
      `INSERT INTO tally (id, total, history) VALUES (?1, ?2, '') ON CONFLICT (id) DO UPDATE SET total = total + ?2`,
    )
      .bind(e.aggregateId, e.payload.by)
      .run();
  }

  resetReadModel() {
    return [];
  }
}

@Projection('no-reset-tally')
class NoResetTally {
  constructor(private readonly env: { NO_RESET_TALLY_DB: D1Database }) {}

  @EventHandler(Counted)
  onCounted(e: Envelope<Counted>) {
    return this.env.NO_RESET_TALLY_DB.prepare(`INSERT INTO tally (id, total, history) VALUES (?1, ?2, ?3)`).bind(
      e.aggregateId,
      e.payload.by,
      String(e.version),
    );
  }

  async tally(id: string) {
    return this.env.NO_RESET_TALLY_DB.prepare('SELECT * FROM tally WHERE id = ?').bind(id).first();
  }
}

describe('lenses that fold over the stream, in projections and processes', () => {
  @Projection('wallet-deposits')
  class WalletDeposits {
    constructor(private readonly env: { WALLET_DEPOSITS_DB: D1Database }) {}
    @EventHandler(Deposited)
    onDeposited(e: Envelope<Deposited>) {
      return this.env.WALLET_DEPOSITS_DB.prepare(
        'INSERT INTO deposits (wallet, version, amount, currency) VALUES (?1, ?2, ?3, ?4)',
      ).bind(e.aggregateId, e.version, e.payload.amount, e.payload.currency);
    }
    resetReadModel() {
      return this.env.WALLET_DEPOSITS_DB.prepare('DELETE FROM deposits');
    }
  }

  @Process('wallet-receipts')
  class WalletReceipts {
    @EventHandler(Deposited)
    async onDeposited(
      e: Envelope<Deposited>,
      { effects }: ProcessHandlerContext<{ receipt(text: string): Promise<void> }>,
    ) {
      await effects.receipt(`${e.payload.amount} ${e.payload.currency}`);
    }
  }

  const history = inStream(Wallet, 'w1', new AccountOpened({ owner: 'Ada', currency: 'CHF' }), {
    type: 'Deposited',
    schemaVersion: 1,
    payload: { amount: 5 },
  });

  it('a projection reads a v1 event with the stream history the lens needs (live, redelivered and rebuilt)', async () => {
    await projectionScenario(WalletDeposits, {
      schema: 'CREATE TABLE deposits (wallet TEXT, version INTEGER, amount INTEGER, currency TEXT)',
    })
      .given(history)
      .thenRows('SELECT * FROM deposits', [{ wallet: 'w1', version: 2, amount: 5, currency: 'CHF' }]);
  });

  it('so does a process', async () => {
    await processScenario(WalletReceipts, { effects: { receipt: async () => {} } })
      .when(history)
      .thenEffects({ name: 'receipt', args: ['5 CHF'] });
  });
});
