export * from './user.js';
export * from './user-commands.js';
export * from './user-events.js';
export { now, useClock } from './clock.js';
export { dummyPasswordHash, verifyPassword } from './password.js';
export { constantTimeEqual, newSecret, sha256Hex } from './secrets.js';
export { userAggregateOptions } from './hosting.js';
