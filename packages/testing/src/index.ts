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
export { scenario, When, type ExpectedEvent, type ScenarioOutcome } from './aggregate-scenario.js';
export { InMemoryEventStore } from './in-memory-event-store.js';
export { InMemoryAggregates } from './in-memory-aggregates.js';
export { eventually, type EventuallyOptions } from './eventually.js';
export { projectionScenario, ProjectionThen, type ProjectionScenarioOptions, type ProjectionScenarioResult } from './projection-scenario.js';
export { processScenario, ProcessThen, type CalledEffect, type ProcessScenarioOptions, type ProcessScenarioResult, type SentCommand } from './process-scenario.js';
export { inStream, type GivenEvent, type StoredEventInput, type StreamEvents } from './given-events.js';
export { sqliteD1Database } from './sqlite-d1-database.js';
export { TestClock } from './test-clock.js';
export { TestWorkflowStep, type RecordedStep } from './test-workflow-step.js';
