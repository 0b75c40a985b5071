import type { CommandResult, EventEnvelope, EventMetadata } from '@escf/core';
import type { AggregateAddress } from './aggregate-address.js';
import { faultPoint } from './fault-points.js';

/** The aggregate's own identity, stored with its first commit (the alarm needs it). */
export interface StoredIdentity extends AggregateAddress {
  readonly aggregateType: string;
}

/** A stored state snapshot. */
export interface StoredSnapshot {
  readonly version: number;
  readonly state: string;
  /** The aggregate descriptor's fingerprint when the snapshot was taken. */
  readonly fingerprint: string;
}

/** The command counts' table (one JSON document per name) and the delivery-failure streaks' table. */
const METRICS_TABLE = 'escf_metrics';
const HEALTH_TABLE = 'escf_outbox_health';

/** One delivery target's failure streak, as stored. */
export interface StoredFailingTarget {
  /** `d1`, `queue:BINDING` or `service:BINDING`. */
  readonly target: string;
  /** When the first failed attempt of this streak happened (ms since the epoch). */
  readonly failingSince: number;
  /** Failed drain passes in a row. */
  readonly attempts: number;
  /** The last failure's message (no event payloads). */
  readonly lastError: string;
  /** The last failure's ESCF code, when the error carried one. */
  readonly lastErrorCode: string | null;
  readonly lastFailureAt: number;
}

/** Everything one command writes, in one transaction. */
export interface CommitWrite {
  readonly events: readonly EventEnvelope[];
  readonly snapshot?: { readonly version: number; readonly state: unknown; readonly fingerprint: string };
  readonly idempotency?: {
    readonly key: string;
    readonly fingerprint: string;
    readonly result: CommandResult;
    readonly expiresAt: number;
  };
  readonly identity?: StoredIdentity;
  /** More writes of the same transaction (e.g. the unique values the instance now holds); throwing rolls it all back. */
  readonly alsoWrite?: () => void;
}

/** The aggregate's current state, as its host knows it (what retention snapshots). */
export interface CurrentState {
  readonly version: number;
  readonly state: unknown;
  readonly fingerprint: string;
}

/** How far retention pruned local events, and where that history lives (opaque here: the history port reads it). */
export interface PrunedRange {
  readonly throughVersion: number;
  readonly source: unknown;
}

/** What {@link AggregateStorage.retain} did. */
export interface RetainOutcome {
  /** Local events deleted. */
  readonly pruned: number;
  /** Every local event up to this version is gone (0 = none). */
  readonly prunedThrough: number;
}

type EventRow = {
  version: number;
  id: string;
  type: string;
  schema_version: number;
  payload: string;
  metadata: string;
  timestamp: number;
  position: number | null;
};

/**
 * The aggregate's tables in its Durable Object's SQLite database, and every
 * statement the host runs against them. Events are the outbox: a cursor per
 * delivery target (D1, each queue, each service) says how far it got, so a
 * command writes no extra outbox rows.
 */
export class AggregateStorage {
  private readonly sql: SqlStorage;
  /**
   * Whether the tables exist. They are created by the first write, not on
   * construction: a read of an unknown id (a 404) must not leave an empty
   * Durable Object with storage behind.
   */
  private tables: boolean;
  /** Tables created on demand (metrics, delivery health) known to exist. */
  private readonly createdTables = new Set<string>();

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.tables = false;
    // An object written before (by this or an older version) gets whatever its tables lack.
    if (this.tablesExist()) this.migrate();
  }

  private tablesExist(): boolean {
    return (
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'escf_events'").toArray().length > 0
    );
  }

  /** Whether the tables exist; looked up again while they did not (another writer, e.g. seeding, may have created them since). */
  private get ready(): boolean {
    if (!this.tables && this.tablesExist()) this.migrate();
    return this.tables;
  }

  /** Creates the tables that do not exist yet and upgrades older ones. */
  private migrate(): void {
    this.tables = true;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS escf_events (
        version INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        payload TEXT NOT NULL,
        metadata TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        position INTEGER
      );
      CREATE TABLE IF NOT EXISTS escf_snapshot (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        fingerprint TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS escf_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        aggregate_type TEXT NOT NULL,
        aggregate_id TEXT NOT NULL,
        tenant_id TEXT
      );
      CREATE TABLE IF NOT EXISTS escf_outbox_cursors (
        target TEXT PRIMARY KEY,
        delivered_version INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS escf_idempotency (
        key TEXT PRIMARY KEY,
        result TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        fingerprint TEXT
      );
      CREATE TABLE IF NOT EXISTS escf_retention (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pruned_through INTEGER NOT NULL,
        history TEXT NOT NULL
      );
    `);
    this.upgrade();
  }

  /** Brings tables written by an earlier version up to date. */
  private upgrade(): void {
    // Objects created before keys carried a fingerprint get the column; their old keys match any request.
    const hasFingerprint = this.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM pragma_table_info('escf_idempotency') WHERE name = 'fingerprint'")
      .one().n;
    if (hasFingerprint === 0) this.sql.exec('ALTER TABLE escf_idempotency ADD COLUMN fingerprint TEXT');
  }

  readIdentity(): StoredIdentity | null {
    if (!this.ready) return null;
    const row = this.sql
      .exec<{ aggregate_type: string; aggregate_id: string; tenant_id: string | null }>(
        'SELECT aggregate_type, aggregate_id, tenant_id FROM escf_identity WHERE id = 1',
      )
      .toArray()[0];
    if (!row) return null;
    return {
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      ...(row.tenant_id === null ? {} : { tenantId: row.tenant_id }),
    };
  }

  readSnapshot(): StoredSnapshot | null {
    if (!this.ready) return null;
    return (
      this.sql
        .exec<StoredSnapshot & Record<string, SqlStorageValue>>(
          'SELECT version, state, fingerprint FROM escf_snapshot WHERE id = 1',
        )
        .toArray()[0] ?? null
    );
  }

  /** Deletes the state snapshot: the next load replays the events. */
  dropSnapshot(): void {
    if (this.tables) this.sql.exec('DELETE FROM escf_snapshot');
  }

  /** The highest stored version (0 without events). */
  headVersion(): number {
    if (!this.ready) return 0;
    return this.sql.exec<{ head: number | null }>('SELECT MAX(version) AS head FROM escf_events').one().head ?? 0;
  }

  /** Events with `after < version ≤ upTo`, in order, as full envelopes. */
  readEvents(
    identity: StoredIdentity,
    after: number,
    options: { limit?: number; upTo?: number } = {},
  ): EventEnvelope[] {
    if (!this.ready) return [];
    const rows = this.sql
      .exec<EventRow>(
        'SELECT version, id, type, schema_version, payload, metadata, timestamp, position FROM escf_events WHERE version > ? AND version <= ? ORDER BY version LIMIT ?',
        after,
        options.upTo ?? Number.MAX_SAFE_INTEGER,
        options.limit ?? -1,
      )
      .toArray();
    return rows.map((row) => ({
      id: row.id,
      aggregateType: identity.aggregateType,
      aggregateId: identity.aggregateId,
      version: row.version,
      type: row.type,
      schemaVersion: row.schema_version,
      payload: JSON.parse(row.payload) as unknown,
      timestamp: row.timestamp,
      metadata: JSON.parse(row.metadata) as EventMetadata,
      ...(row.position === null ? {} : { position: row.position }),
    }));
  }

  /**
   * Writes a command's events, snapshot, identity and idempotency record in
   * one synchronous transaction: all of it or nothing.
   */
  commit(write: CommitWrite): void {
    // A command that appends nothing (a refusal, an unchanged PATCH) creates no storage either.
    if (write.events.length === 0 && !write.idempotency && !this.ready) return;
    if (!this.tables) this.migrate();
    this.storage.transactionSync(() => {
      if (write.identity) {
        this.sql.exec(
          'INSERT OR IGNORE INTO escf_identity (id, aggregate_type, aggregate_id, tenant_id) VALUES (1, ?, ?, ?)',
          write.identity.aggregateType,
          write.identity.aggregateId,
          write.identity.tenantId ?? null,
        );
      }
      for (const event of write.events) {
        this.sql.exec(
          'INSERT INTO escf_events (version, id, type, schema_version, payload, metadata, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)',
          event.version,
          event.id,
          event.type,
          event.schemaVersion,
          JSON.stringify(event.payload),
          JSON.stringify(event.metadata),
          event.timestamp,
        );
      }
      faultPoint('command:events-written');
      write.alsoWrite?.();
      if (write.snapshot) {
        this.sql.exec(
          'INSERT OR REPLACE INTO escf_snapshot (id, version, state, fingerprint) VALUES (1, ?, ?, ?)',
          write.snapshot.version,
          JSON.stringify(write.snapshot.state),
          write.snapshot.fingerprint,
        );
      }
      if (write.idempotency) {
        this.sql.exec(
          'INSERT OR REPLACE INTO escf_idempotency (key, result, expires_at, fingerprint) VALUES (?, ?, ?, ?)',
          write.idempotency.key,
          JSON.stringify(write.idempotency.result),
          write.idempotency.expiresAt,
          write.idempotency.fingerprint,
        );
      }
    });
  }

  /** The result stored for an idempotency key and the request's fingerprint (null for old keys), unless it expired. */
  findIdempotentResult(key: string, now: number): { result: CommandResult; fingerprint: string | null } | null {
    if (!this.ready) return null;
    const row = this.sql
      .exec<{ result: string; fingerprint: string | null }>(
        'SELECT result, fingerprint FROM escf_idempotency WHERE key = ? AND expires_at > ?',
        key,
        now,
      )
      .toArray()[0];
    return row ? { result: JSON.parse(row.result) as CommandResult, fingerprint: row.fingerprint } : null;
  }

  purgeExpiredIdempotencyKeys(now: number): void {
    if (!this.ready) return;
    this.sql.exec('DELETE FROM escf_idempotency WHERE expires_at <= ?', now);
  }

  /** Delivery cursors by target name (`d1`, `queue:NAME`, `service:NAME`). */
  readCursors(): Map<string, number> {
    if (!this.ready) return new Map();
    const rows = this.sql
      .exec<{ target: string; delivered_version: number }>('SELECT target, delivered_version FROM escf_outbox_cursors')
      .toArray();
    return new Map(rows.map((row) => [row.target, row.delivered_version]));
  }

  setCursor(target: string, version: number): void {
    this.setCursors([[target, version]]);
  }

  /** Advances several cursors in one statement (each only forward). */
  setCursors(cursors: ReadonlyArray<readonly [target: string, version: number]>): void {
    if (cursors.length === 0) return;
    if (!this.tables) this.migrate();
    this.sql.exec(
      `INSERT INTO escf_outbox_cursors (target, delivered_version) VALUES ${cursors.map(() => '(?, ?)').join(', ')} ON CONFLICT (target) DO UPDATE SET delivered_version = MAX(delivered_version, excluded.delivered_version)`,
      ...cursors.flat(),
    );
  }

  /** Records what a drain pass did in one transaction: the D1 positions of the events it stored, and the cursors it moved. */
  recordPass(
    stored: readonly EventEnvelope[],
    cursors: ReadonlyArray<readonly [target: string, version: number]>,
  ): void {
    if (stored.length === 0 && cursors.length === 0) return;
    if (!this.tables) this.migrate();
    this.storage.transactionSync(() => {
      for (const event of stored)
        this.sql.exec('UPDATE escf_events SET position = ? WHERE version = ?', event.position ?? null, event.version);
      this.setCursors(cursors);
    });
  }

  /**
   * Retention: snapshots `current` unless the stored snapshot already holds
   * it, then deletes local events that are (a) covered by that snapshot,
   * (b) delivered to every outbox target and (c) at most
   * `prune.throughVersion`, recording how far it pruned and `prune.source`
   * (where that history lives) — one transaction.
   */
  retain(current: CurrentState, prune?: { readonly throughVersion: number; readonly source: unknown }): RetainOutcome {
    // Never written: nothing to snapshot or prune, and no storage created by asking.
    if (current.version === 0 && !this.ready) return { pruned: 0, prunedThrough: 0 };
    if (!this.tables) this.migrate();
    return this.storage.transactionSync(() => {
      const snapshot = this.readSnapshot();
      if (
        current.version > 0 &&
        (!snapshot || snapshot.version < current.version || snapshot.fingerprint !== current.fingerprint)
      ) {
        this.sql.exec(
          'INSERT OR REPLACE INTO escf_snapshot (id, version, state, fingerprint) VALUES (1, ?, ?, ?)',
          current.version,
          JSON.stringify(current.state),
          current.fingerprint,
        );
      }
      const previous = this.readPruned()?.throughVersion ?? 0;
      if (!prune) return { pruned: 0, prunedThrough: previous };
      const delivered = this.sql
        .exec<{ low: number | null; targets: number }>(
          'SELECT MIN(delivered_version) AS low, COUNT(*) AS targets FROM escf_outbox_cursors',
        )
        .one();
      const limit = Math.min(prune.throughVersion, current.version, delivered.targets > 0 ? (delivered.low ?? 0) : 0);
      if (limit <= previous) return { pruned: 0, prunedThrough: previous };
      const pruned = this.sql.exec('DELETE FROM escf_events WHERE version <= ?', limit).rowsWritten;
      this.sql.exec(
        'INSERT OR REPLACE INTO escf_retention (id, pruned_through, history) VALUES (1, ?, ?)',
        limit,
        JSON.stringify(prune.source),
      );
      return { pruned, prunedThrough: limit };
    });
  }

  /** How far retention pruned local events (null when it never did). */
  readPruned(): PrunedRange | null {
    if (!this.ready) return null;
    const row = this.sql
      .exec<{ pruned_through: number; history: string }>(
        'SELECT pruned_through, history FROM escf_retention WHERE id = 1',
      )
      .toArray()[0];
    return row ? { throughVersion: row.pruned_through, source: JSON.parse(row.history) as unknown } : null;
  }

  // Metrics and delivery health: tables of their own, created by their first write (a healthy,
  // never-counted object has neither) and read without creating them.

  /** The command counts this object persisted (a JSON document), or null when it never did. */
  readCommandMetrics(): string | null {
    if (!this.hasTable(METRICS_TABLE)) return null;
    const row = this.sql
      .exec<{ value: string }>(`SELECT value FROM ${METRICS_TABLE} WHERE name = 'commands'`)
      .toArray()[0];
    return row?.value ?? null;
  }

  /** Replaces the persisted command counts. */
  writeCommandMetrics(json: string): void {
    if (!this.createdTables.has(METRICS_TABLE)) {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS ${METRICS_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      this.createdTables.add(METRICS_TABLE);
    }
    this.sql.exec(`INSERT OR REPLACE INTO ${METRICS_TABLE} (name, value) VALUES ('commands', ?)`, json);
  }

  /** Every delivery target's current failure streak (empty when every delivery works). */
  readFailingTargets(): StoredFailingTarget[] {
    if (!this.hasTable(HEALTH_TABLE)) return [];
    return this.sql
      .exec<{
        target: string;
        failing_since: number;
        attempts: number;
        last_error: string;
        last_error_code: string | null;
        last_failure_at: number;
      }>(`SELECT * FROM ${HEALTH_TABLE}`)
      .toArray()
      .map((row) => ({
        target: row.target,
        failingSince: row.failing_since,
        attempts: row.attempts,
        lastError: row.last_error,
        lastErrorCode: row.last_error_code,
        lastFailureAt: row.last_failure_at,
      }));
  }

  /** Records a target's failure streak (a failed pass). */
  writeFailingTarget(failing: StoredFailingTarget): void {
    if (!this.createdTables.has(HEALTH_TABLE)) {
      this.sql.exec(
        `CREATE TABLE IF NOT EXISTS ${HEALTH_TABLE} (target TEXT PRIMARY KEY, failing_since INTEGER NOT NULL, attempts INTEGER NOT NULL,
           last_error TEXT NOT NULL, last_error_code TEXT, last_failure_at INTEGER NOT NULL)`,
      );
      this.createdTables.add(HEALTH_TABLE);
    }
    this.sql.exec(
      `INSERT OR REPLACE INTO ${HEALTH_TABLE} (target, failing_since, attempts, last_error, last_error_code, last_failure_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      failing.target,
      failing.failingSince,
      failing.attempts,
      failing.lastError,
      failing.lastErrorCode,
      failing.lastFailureAt,
    );
  }

  /** Forgets a target's failure streak (it recovered). */
  deleteFailingTarget(target: string): void {
    if (this.hasTable(HEALTH_TABLE)) this.sql.exec(`DELETE FROM ${HEALTH_TABLE} WHERE target = ?`, target);
  }

  private hasTable(name: string): boolean {
    if (this.createdTables.has(name)) return true;
    const exists =
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray().length > 0;
    if (exists) this.createdTables.add(name);
    return exists;
  }
}
