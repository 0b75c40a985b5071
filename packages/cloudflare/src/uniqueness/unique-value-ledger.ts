import { Conflict, DomainError, type UniqueValues } from '@escf/core';
import { uniqueValuesHeld } from '@escf/core/internal';
import type { AggregateAddress } from '../aggregate/aggregate-address.js';
import type { ClaimOwner, ClaimRequest } from './unique-value-claims-object.js';

/** Options of an aggregate host whose aggregate declares `static unique`. */
export interface UniquenessOptions {
  /** The Durable Object binding of {@link UniqueValueClaims}. */
  readonly claims: string;
  /** The binding under which this aggregate's own Durable Objects are reachable (claim objects ask owners back). */
  readonly owner: string;
  /** How long a claim stays pending before another command may take it if its owner never committed. Defaults to 30 s. */
  readonly pendingMs?: number;
}

/** Claims one command takes and gives up: settled after its commit, or abandoned if it does not commit. */
export interface ClaimChange {
  /** Runs inside the command's storage transaction: records the owner's truth. */
  readonly write: () => void;
  /** After the commit: confirms what was taken, releases what was given up (best effort; claims self-heal). */
  readonly settle: () => Promise<void>;
  /** The command did not commit: releases exactly what it took. */
  readonly abandon: () => Promise<void>;
  /** True when nothing changes. */
  readonly empty: boolean;
}

interface ClaimsStub {
  claim(request: ClaimRequest): Promise<{ granted: boolean; fresh: boolean }>;
  confirm(key: string, owner: ClaimOwner): Promise<void>;
  release(key: string, owner: ClaimOwner): Promise<void>;
}

/** Margin kept before a claim's deadline when committing, for clock differences between objects. */
const COMMIT_MARGIN_MS = 5_000;

/**
 * The unique values one aggregate instance holds, in its own SQLite
 * (`escf_unique_values`, written in the same transaction as its events),
 * and the claims taken and released around each command.
 */
export class UniqueValueLedger {
  private migrated = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly aggregateType: string,
    private readonly unique: UniqueValues<unknown>,
    private readonly options: UniquenessOptions,
  ) {}

  /** Whether this instance holds the claim key in committed state (asked by claim objects). */
  holds(key: string): boolean {
    if (!this.tableExists()) return false;
    return this.sql.exec('SELECT 1 FROM escf_unique_values WHERE claim_key = ?', key).toArray().length > 0;
  }

  /**
   * Takes the claims the next state needs that this instance does not hold
   * yet; refuses with `UNIQUE_VALUE_TAKEN` (releasing whatever it took) when
   * another instance holds one of them.
   */
  async prepare(env: object, address: AggregateAddress, nextState: unknown): Promise<ClaimChange> {
    const wanted = uniqueValuesHeld(this.unique, nextState);
    const held = this.held();
    const owner: ClaimOwner = { binding: this.options.owner, address };
    const toTake = [...wanted]
      .filter(([namespace, value]) => held.get(namespace)?.value !== value)
      .map(([namespace, value]) => ({ namespace, key: this.key(address, namespace, value), value }));
    const toRelease = [...held]
      .filter(([namespace, { value }]) => wanted.get(namespace) !== value)
      .map(([namespace, { key }]) => ({ namespace, key }));
    if (toTake.length === 0 && toRelease.length === 0)
      return { write: () => {}, settle: async () => {}, abandon: async () => {}, empty: true };

    const deadline = Date.now() + (this.options.pendingMs ?? 30_000);
    const taken: typeof toTake = [];
    const abandon = async () => {
      await Promise.all(
        taken.map(({ key }) =>
          this.stub(env, key)
            .release(key, owner)
            .catch(() => undefined),
        ),
      );
    };
    try {
      for (const claim of toTake) {
        const outcome = await this.stub(env, claim.key).claim({ key: claim.key, owner, deadline });
        if (outcome.fresh) taken.push(claim);
        if (!outcome.granted) {
          throw new Conflict(`This ${claim.namespace} is already taken`, {
            details: { namespace: claim.namespace },
            code: 'UNIQUE_VALUE_TAKEN',
          });
        }
      }
    } catch (error) {
      await abandon();
      throw error;
    }
    return {
      empty: false,
      write: () => {
        // Past the deadline the claim object may have given the value away: do not commit on it.
        if (taken.length > 0 && Date.now() + COMMIT_MARGIN_MS > deadline) {
          throw new DomainError('The command took too long to hold its unique values; retry it', {
            code: 'UNIQUE_CLAIM_EXPIRED',
          });
        }
        this.migrate();
        for (const { namespace, key } of toRelease)
          this.sql.exec('DELETE FROM escf_unique_values WHERE namespace = ? AND claim_key = ?', namespace, key);
        for (const { namespace, key, value } of toTake) {
          this.sql.exec(
            'INSERT OR REPLACE INTO escf_unique_values (namespace, claim_key, value) VALUES (?, ?, ?)',
            namespace,
            key,
            value,
          );
        }
      },
      settle: async () => {
        await Promise.all([
          ...taken.map(({ key }) =>
            this.stub(env, key)
              .confirm(key, owner)
              .catch(() => undefined),
          ),
          ...toRelease.map(({ key }) =>
            this.stub(env, key)
              .release(key, owner)
              .catch(() => undefined),
          ),
        ]);
      },
      abandon,
    };
  }

  private key(address: AggregateAddress, namespace: string, value: string): string {
    return JSON.stringify([address.tenantId ?? null, this.aggregateType, namespace, value]);
  }

  private stub(env: object, key: string): ClaimsStub {
    const namespace = (env as Record<string, unknown>)[this.options.claims] as DurableObjectNamespace | undefined;
    if (!namespace)
      throw new TypeError(
        `Unique values of ${this.aggregateType}: Durable Object binding '${this.options.claims}' is missing from env`,
      );
    return namespace.get(namespace.idFromName(key)) as unknown as ClaimsStub;
  }

  private held(): Map<string, { key: string; value: string }> {
    if (!this.tableExists()) return new Map();
    const rows = this.sql
      .exec<{ namespace: string; claim_key: string; value: string }>(
        'SELECT namespace, claim_key, value FROM escf_unique_values',
      )
      .toArray();
    return new Map(rows.map((row) => [row.namespace, { key: row.claim_key, value: row.value }]));
  }

  private tableExists(): boolean {
    if (this.migrated) return true;
    this.migrated =
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'escf_unique_values'").toArray()
        .length > 0;
    return this.migrated;
  }

  private migrate(): void {
    if (this.tableExists()) return;
    this.sql.exec(
      'CREATE TABLE IF NOT EXISTS escf_unique_values (namespace TEXT PRIMARY KEY, claim_key TEXT NOT NULL, value TEXT NOT NULL)',
    );
    this.migrated = true;
  }
}
