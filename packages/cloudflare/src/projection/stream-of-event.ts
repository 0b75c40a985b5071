// Shared with processes: the owner is delivery/stream-of-event.ts.
export { groupByStream, isEnvelope, streamKeyOf, streamOf } from '../delivery/stream-of-event.js';
