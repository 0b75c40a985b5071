/**
 * @escf/testing — given/when/then for aggregates, projections, processes
 * and sagas, an in-memory event store, an in-memory aggregate host, a test
 * clock and a SQLite-backed D1 for Node. The conformance suite every
 * `EventStore` implementation must pass is at `@escf/testing/conformance`;
 * workerd-only helpers at `@escf/testing/workerd`; starting a generated
 * system for end-to-end tests at `@escf/testing/system`.
 *
 * @packageDocumentation
 */
export { type ExpectedEvent, type ScenarioOutcome, scenario, When } from './aggregate-scenario.js';
export { type EventuallyOptions, eventually } from './eventually.js';
export { type GivenEvent, inStream, type StoredEventInput, type StreamEvents } from './given-events.js';
export { InMemoryAggregates } from './in-memory-aggregates.js';
export { InMemoryEventStore } from './in-memory-event-store.js';
export {
  type CalledEffect,
  type ProcessScenarioOptions,
  type ProcessScenarioResult,
  ProcessThen,
  processScenario,
  type SentCommand,
} from './process-scenario.js';
export {
  type ProjectionScenarioOptions,
  type ProjectionScenarioResult,
  ProjectionThen,
  projectionScenario,
} from './projection-scenario.js';
export { sqliteD1Database } from './sqlite-d1-database.js';
export { TestClock } from './test-clock.js';
export { type RecordedStep, TestWorkflowStep } from './test-workflow-step.js';
