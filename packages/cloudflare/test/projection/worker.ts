// The worker the projection and process tests run in: the Counter aggregate
// (as Durable Objects publishing to the tally queue, or delivering directly),
// the Tally projection as default export (queue consumer + RPC), and the
// Notifier process as a named entrypoint. BlueGreenTally rebuilds blue/green
// (TALLY_BG_DB and TALLY_BG_DB_NEXT); its aggregate delivers to it directly.
import type { D1Migration } from 'cloudflare:test';
import { aggregateCommandSender, durableObjectFor, processEntrypoint, projectionEntrypoint } from '../../src/index.js';
import { BlueGreenTally } from './blue-green-tally-projection.js';
import { Counter } from './counter-domain.js';
import { LateEventStore } from './late-event-store.js';
import { LedgerTally } from './ledger-tally-projection.js';
import { Notifier, type NotifierEffects } from './notifier-process.js';
import { OrderedNotifier } from './ordered-notifier-process.js';
import { Tally } from './tally-projection.js';

export const CounterAggregate = durableObjectFor(Counter, { queues: ['TALLY_QUEUE'] });
export const SyncCounterAggregate = durableObjectFor(Counter, { services: ['TALLY'] });
export const BlueGreenCounterAggregate = durableObjectFor(Counter, { services: ['TALLY_BG'] });

export const TallyProjection = projectionEntrypoint(Tally, {
  maxRetries: 2,
  retryDelaySeconds: 0,
  deadLetterQueue: 'tally-dlq',
  rebuildBatchSize: 7,
});
export default TallyProjection;

// No TALLY_BG_QUEUE: the tests drive its rebuild with rebuildStep(), one step at a time.
export const BlueGreenTallyProjection = projectionEntrypoint(BlueGreenTally, {
  standbyDatabase: 'TALLY_BG_DB_NEXT',
  rebuildBatchSize: 7,
  rebuildPagesPerStep: 1, // the tests interleave live events between pages
  eventStore: (env: Env) => new LateEventStore(env),
});

/** The host's event store on another binding and table: the projection must read the same one. */
const LEDGER_EVENT_STORE = { binding: 'LEDGER_EVENTS', table: 'ledger_events' } as const;
export const LedgerCounterAggregate = durableObjectFor(Counter, {
  eventStore: LEDGER_EVENT_STORE,
  services: ['TALLY_LEDGER'],
});
export const LedgerTallyProjection = projectionEntrypoint(LedgerTally, {
  database: 'TALLY_LEDGER_DB',
  eventStore: LEDGER_EVENT_STORE,
  rebuildBatchSize: 7,
});
/** Pointed at a table that does not exist: reading the log's head must fail loudly. */
export const MisconfiguredTallyProjection = projectionEntrypoint(LedgerTally, {
  database: 'TALLY_LEDGER_DB',
  eventStore: { binding: 'LEDGER_EVENTS', table: 'no_such_events' },
});

export const NotifierProcess = processEntrypoint(Notifier, {
  // These processes share the log with every other test: sweeping it would run their effects (and commands) for
  // other tests' events. The sweep has its own tests (process-sweep.int.test.ts).
  sweep: false,
  effects: (env: Env): NotifierEffects => ({
    async notify(target, detail) {
      await env.NOTIFIER_DB.prepare('INSERT INTO effects (target, detail) VALUES (?, ?)').bind(target, detail).run();
    },
  }),
  commands: (env) => aggregateCommandSender(env, [{ aggregate: Counter, binding: 'COUNTER_AGGREGATE' }]),
});

// Per-stream ordering with gap fill; shares NOTIFIER_DB (its tables are keyed by process name).
export const OrderedNotifierProcess = processEntrypoint(OrderedNotifier, {
  ordering: 'stream',
  database: 'NOTIFIER_DB',
  maxRetries: 2,
  deadLetterQueue: 'ordered-notifier-dlq',
  sweep: false,
  effects: (env: Env) => ({
    async notify(target: string, detail: string) {
      await env.NOTIFIER_DB.prepare('INSERT INTO effects (target, detail) VALUES (?, ?)').bind(target, detail).run();
    },
    async isPoisoned(target: string) {
      return (await env.NOTIFIER_DB.prepare('SELECT 1 FROM poison WHERE id = ?').bind(target).first()) !== null;
    },
  }),
});

export interface Env {
  COUNTER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof CounterAggregate>>;
  SYNC_COUNTER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof SyncCounterAggregate>>;
  BLUE_GREEN_COUNTER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof BlueGreenCounterAggregate>>;
  ESCF_EVENTS: D1Database;
  TALLY_DB: D1Database;
  ESCF_EVENTS_1: D1Database;
  SHARDED_TALLY_DB: D1Database;
  TALLY_BG_DB: D1Database;
  TALLY_BG_DB_NEXT: D1Database;
  NOTIFIER_DB: D1Database;
  TALLY_QUEUE: Queue;
  TALLY: Service<InstanceType<typeof TallyProjection>>;
  TALLY_BG: Service<InstanceType<typeof BlueGreenTallyProjection>>;
  LEDGER_COUNTER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof LedgerCounterAggregate>>;
  LEDGER_EVENTS: D1Database;
  TALLY_LEDGER_DB: D1Database;
  TALLY_LEDGER: Service<InstanceType<typeof LedgerTallyProjection>>;
  TALLY_MISCONFIGURED: Service<InstanceType<typeof MisconfiguredTallyProjection>>;
  NOTIFIER: Service<InstanceType<typeof NotifierProcess>>;
  TEST_MIGRATIONS: D1Migration[];
}
