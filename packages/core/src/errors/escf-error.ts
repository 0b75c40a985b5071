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
 * Base class of every error ESCF raises on purpose. Each carries a stable,
 * machine-readable `code` (e.g. `VALIDATION_FAILED`) that callers may switch
 * on, a human message and optional JSON-safe `details`.
 */
export abstract class EscfError extends Error {
  /** Stable, machine-readable code. Never changes once published. */
  abstract readonly code: string;
  readonly details?: Readonly<Record<string, unknown>>;

  protected constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    if (details !== undefined) this.details = details;
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
