/**
 * The plain, JSON-safe shape of every ESCF error. This is what crosses RPC,
 * queue and HTTP boundaries; {@link deserializeError} turns it back into the
 * matching error class on the other side.
 */
export interface SerializedError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The second argument of every ESCF error's constructor:
 * `new NotFound('No such user', { details: { userId }, cause })`.
 */
export interface EscfErrorOptions<D extends Record<string, unknown> = Record<string, unknown>> {
  /** Overrides the class's stable code (only classes whose code is not fixed honour it, e.g. `DomainError`). */
  readonly code?: string;
  /** JSON-safe facts for the caller; they cross RPC and HTTP with the code. */
  readonly details?: D;
  /** The error that led to this one (ES2022 `Error.cause`); kept for logs, never sent across a boundary. */
  readonly cause?: unknown;
}

/**
 * Base class of every error ESCF raises on purpose. Each carries a stable,
 * machine-readable `code` (e.g. `VALIDATION_FAILED`) that callers may switch
 * on, a human message and optional JSON-safe `details`. Every subclass is
 * constructed as `(message, { code?, details?, cause? })`.
 */
export abstract class EscfError extends Error {
  /** Stable, machine-readable code. Never changes once published. */
  abstract readonly code: string;
  readonly details?: Readonly<Record<string, unknown>>;

  protected constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.details !== undefined) this.details = options.details;
  }

  /** The JSON-safe form; `JSON.stringify(error)` uses it too. */
  toJSON(): SerializedError {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}
