// #region seed
import { seedStoredEvents } from '@escf/testing/workerd';
// #endregion
import { Counter } from './readme-counter.js';

// docs/testing.md: history as an earlier release stored it, in a test that runs in workerd.
interface Env {
  COUNTER_AGGREGATE: DurableObjectNamespace;
  ESCF_EVENTS: D1Database;
}

export async function seedOldCounter(env: Env): Promise<void> {
  // #region seed

  await seedStoredEvents({
    aggregate: Counter,
    aggregateId: 'c1',
    events: [{ type: 'Incremented', schemaVersion: 1, payload: { by: 2 } }],
    durableObject: env.COUNTER_AGGREGATE, // the object's own SQLite
    eventStore: env.ESCF_EVENTS, // the shared D1 log
  });
  // #endregion
}
