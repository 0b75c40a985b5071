/**
 * `@escf/cloudflare/delivery`: the parts of the runtime that deliver events
 * to projections and processes and that run anywhere a `D1Database` does —
 * in workerd, and in plain Node over `node:sqlite` (no `cloudflare:workers`
 * import). `@escf/testing`'s scenarios drive the real runtime through it.
 *
 * @packageDocumentation
 */

export {
  type HandleOutcome,
  ProcessDelivery,
  type ProcessDeliveryReport,
  type ProcessOrdering,
} from '../process/process-delivery.js';
export {
  runSaga,
  Saga,
  type SagaOutcome,
  type SagaTracing,
  sagaInstanceId,
  startWorkflowOnce,
} from '../process/saga-workflow.js';
export { type ApplyOutcome, ProjectionApplier } from '../projection/projection-applier.js';
export { ProjectionRebuild } from '../projection/projection-rebuild.js';
export { ensureProjectionSchema } from '../projection/projection-schema.js';
export { backoffSeconds } from './retry-backoff.js';
export { groupByStream, streamKeyOf, streamOf } from './stream-of-event.js';
