// Shared with processes: the owner is delivery/retry-backoff.ts.
export { backoffSeconds } from '../delivery/retry-backoff.js';
