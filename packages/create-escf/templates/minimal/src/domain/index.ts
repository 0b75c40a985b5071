export * from './task.js';
export * from './task-events.js';
