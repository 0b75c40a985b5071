/**
 * @escf/console — the ESCF console: a web inspector for a running ESCF
 * system (system map, instances, streams with time travel, projection and
 * process health, archive, live tail, commands), served by its own worker
 * and talking to the system's admin entrypoint over a service binding.
 *
 * @packageDocumentation
 */
export { type ConsoleOptions, consoleWorker } from './console-worker.js';
