/**
 * How long events stay in the hot store (D1, and an aggregate's own Durable
 * Object storage) before they move to the archive. Archiving never loses an
 * event: readers see the archive and the hot store as one log.
 *
 * - `keepAll` — never archive (the default).
 * - `keepDays` — archive batches whose newest event is older than this many days.
 * - `keepD1Bytes` — archive the oldest batches while the hot store holds more than this many bytes.
 * - `keepLastEvents` — keep the last N events of every aggregate.
 * - `keepSinceSnapshot` — keep the events after each aggregate's latest snapshot
 *   (the archiver asks the aggregate to take a snapshot first).
 *
 * Every kind keeps at least the newest batch of each aggregate in the hot
 * store, so appends stay guarded by the stream's head version.
 */
export type RetentionPolicy =
  | { readonly kind: 'keepAll' }
  | { readonly kind: 'keepDays'; readonly days: number }
  | { readonly kind: 'keepD1Bytes'; readonly bytes: number }
  | { readonly kind: 'keepLastEvents'; readonly events: number }
  | { readonly kind: 'keepSinceSnapshot' };

/**
 * Retention for a whole system, with per-aggregate-type overrides.
 *
 * @example
 * ```ts
 * const retention = defineRetention({
 *   default: retention.keepDays(90),
 *   aggregates: { Order: retention.keepLastEvents(200), AuditEntry: retention.keepAll() },
 *   pruneDurableObjects: ['Order'],
 * });
 * ```
 */
export interface RetentionConfig {
  /** The policy of every aggregate type without an override; defaults to `keepAll`. */
  readonly default?: RetentionPolicy;
  /** Overrides by aggregate type name (the aggregate's `static type`). */
  readonly aggregates?: Readonly<Record<string, RetentionPolicy>>;
  /**
   * Aggregate types whose Durable Objects also delete archived history from
   * their own SQLite (after snapshotting). Others keep their full history
   * locally; only D1 is archived. `true` means every type.
   */
  readonly pruneDurableObjects?: boolean | readonly string[];
}

/** A {@link RetentionConfig} checked and with defaults filled in. */
export interface ResolvedRetention {
  readonly default: RetentionPolicy;
  readonly aggregates: ReadonlyMap<string, RetentionPolicy>;
  readonly pruneDurableObjects: boolean | ReadonlySet<string>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Constructors of {@link RetentionPolicy} values. */
export const retention = {
  /** Never archive: every event stays in the hot store (the default). */
  keepAll: (): RetentionPolicy => ({ kind: 'keepAll' }),
  /** Archive batches whose newest event is older than `days` days. */
  keepDays: (days: number): RetentionPolicy => ({ kind: 'keepDays', days: checkPositive('keepDays', days) }),
  /** Archive the oldest batches while the hot store holds more than `bytes` bytes of events. */
  keepD1Bytes: (bytes: number): RetentionPolicy => ({
    kind: 'keepD1Bytes',
    bytes: checkPositive('keepD1Bytes', bytes),
  }),
  /** Keep the last `events` events of every aggregate (at least its newest batch). */
  keepLastEvents: (events: number): RetentionPolicy => ({
    kind: 'keepLastEvents',
    events: checkInteger('keepLastEvents', events),
  }),
  /** Keep the events after each aggregate's latest snapshot; the archiver takes a snapshot first. */
  keepSinceSnapshot: (): RetentionPolicy => ({ kind: 'keepSinceSnapshot' }),
} as const;

/** Checks a retention config and fills in defaults; throws a `RangeError` naming the bad entry. */
export function defineRetention(config: RetentionConfig = {}): ResolvedRetention {
  const check = (where: string, policy: RetentionPolicy): RetentionPolicy => {
    switch (policy?.kind) {
      case 'keepAll':
      case 'keepSinceSnapshot':
        return policy;
      case 'keepDays':
        return retention.keepDays(policy.days);
      case 'keepD1Bytes':
        return retention.keepD1Bytes(policy.bytes);
      case 'keepLastEvents':
        return retention.keepLastEvents(policy.events);
      default:
        throw new RangeError(
          `Retention policy of ${where} is not a policy; build one with retention.keepDays(…), retention.keepLastEvents(…) etc.`,
        );
    }
  };
  const aggregates = new Map<string, RetentionPolicy>();
  for (const [type, policy] of Object.entries(config.aggregates ?? {}))
    aggregates.set(type, check(`aggregate type '${type}'`, policy));
  const prune = config.pruneDurableObjects ?? false;
  return {
    default: check('the system default', config.default ?? retention.keepAll()),
    aggregates,
    pruneDurableObjects: typeof prune === 'boolean' ? prune : new Set(prune),
  };
}

/** The policy that applies to an aggregate type. */
export function policyFor(config: ResolvedRetention, aggregateType: string): RetentionPolicy {
  return config.aggregates.get(aggregateType) ?? config.default;
}

/** Whether any aggregate type's history may leave the hot store under this config. */
export function archivesAnything(config: ResolvedRetention): boolean {
  return (
    config.default.kind !== 'keepAll' || [...config.aggregates.values()].some((policy) => policy.kind !== 'keepAll')
  );
}

/** Whether the Durable Objects of an aggregate type prune their archived history. */
export function prunesDurableObjects(config: ResolvedRetention, aggregateType: string): boolean {
  const prune = config.pruneDurableObjects;
  return typeof prune === 'boolean' ? prune : prune.has(aggregateType);
}

/** Milliseconds in `days` days. */
export function daysToMs(days: number): number {
  return days * DAY_MS;
}

function checkPositive(name: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new RangeError(`retention.${name}(${String(value)}): expected a positive number.`);
  }
  return value;
}

function checkInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0))
    throw new RangeError(`retention.${name}(${String(value)}): expected a non-negative integer.`);
  return value;
}
