export * from './user.js';
export * from './user-commands.js';
export * from './user-events.js';
