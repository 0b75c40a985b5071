export { now, useClock } from './clock.js';
export { userAggregateOptions } from './hosting.js';
export { dummyPasswordHash, verifyPassword } from './password.js';
export { constantTimeEqual, newSecret, sha256Hex } from './secrets.js';
export * from './user.js';
export * from './user-commands.js';
export * from './user-events.js';
