import { platformConsole } from '../platform/web-globals.js';

/** How serious a log record is. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * One structured log record. ESCF fills the fields that apply — `code` (a
 * stable ESCF code), `correlationId`, `traceId`, `aggregateType`,
 * `aggregateId`, `projection`, `process`, `attempt`, `retryDelayMs` — and
 * never puts event payloads in it (they may hold sensitive fields).
 */
export interface LogRecord {
  readonly level: LogLevel;
  /** A short, constant sentence: what happened (details go in fields, not in the message). */
  readonly message: string;
  readonly code?: string;
  readonly error?: unknown;
  readonly [field: string]: unknown;
}

/** Receives every log record ESCF writes. Replace it with {@link setLogger}. */
export type Logger = (record: LogRecord) => void;

/**
 * The default logger: one JSON object per line on the console (`console.error`
 * for errors, `console.warn` for warnings, `console.debug` for debug,
 * `console.log` otherwise), which
 * Workers Logs and `wrangler tail` index field by field. Errors become
 * `{ name, message, code? }`; stacks stay out of the line.
 */
export const jsonConsoleLogger: Logger = (record) => {
  const line = JSON.stringify({
    ...record,
    escf: true,
    ...(record.error === undefined ? {} : { error: errorFields(record.error) }),
  });
  const console = platformConsole();
  if (record.level === 'error') console.error(line);
  else if (record.level === 'warn') console.warn(line);
  else if (record.level === 'debug') console.debug(line);
  else console.log(line);
};

let current: Logger = jsonConsoleLogger;

/**
 * Sends ESCF's log records to `logger` (e.g. your own structured logger, or
 * `() => {}` to silence them); `undefined` restores {@link jsonConsoleLogger}.
 * Set it once at module scope of a worker, before requests arrive.
 *
 * @example
 * ```ts
 * setLogger((record) => myLogger[record.level](record.message, record));
 * ```
 */
export function setLogger(logger: Logger | undefined): void {
  current = logger ?? jsonConsoleLogger;
}

/** Writes one record through the configured logger. A failing logger never breaks the caller. */
export function log(record: LogRecord): void {
  try {
    current(record);
  } catch {
    // Logging must not turn a handled condition into a failure.
  }
}

function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(error) };
}
