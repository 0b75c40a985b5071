import { DurableObject } from 'cloudflare:workers';
import { type AggregateAddress, durableObjectName } from '../aggregate/aggregate-address.js';
import { CommandMutex } from '../aggregate/command-mutex.js';

/** The aggregate instance that claims a unique value, and the Durable Object binding that hosts it. */
export interface ClaimOwner {
  readonly binding: string;
  readonly address: AggregateAddress;
}

/** One claim: pending from the moment it is granted until the owner's command commits. */
interface ClaimRecord {
  readonly key: string;
  readonly owner: ClaimOwner;
  readonly status: 'pending' | 'confirmed';
  /** A pending claim whose owner has not committed by then may be given to someone else. */
  readonly deadline: number;
}

/** What a claim request asks for. */
export interface ClaimRequest {
  readonly key: string;
  readonly owner: ClaimOwner;
  readonly deadline: number;
}

/** The RPC surface an aggregate host offers a claim object: does it hold the value in committed state? */
interface OwnerStub {
  holdsUniqueValue(key: string): Promise<boolean>;
}

const sameOwner = (a: ClaimOwner, b: ClaimOwner) =>
  a.binding === b.binding &&
  a.address.aggregateId === b.address.aggregateId &&
  a.address.tenantId === b.address.tenantId;

/**
 * The Durable Object that holds one unique value (one per normalised
 * value): who claimed it, pending or confirmed. It is a cache of the truth,
 * which lives in each owner's own storage, committed in the same
 * transaction as the owner's events. So when someone else asks for a held
 * value, the object asks the owner whether it still holds it:
 *
 * - the owner holds it → the claim is (now) confirmed, the newcomer refused;
 * - the owner does not, and the claim is pending within its deadline → the
 *   owner's command may still commit: refused;
 * - otherwise (a pending claim past its deadline — the owner crashed or
 *   failed —, or a confirmed one the owner released but whose release was
 *   lost) → the claim is an orphan and goes to the newcomer.
 *
 * Owners refuse to commit a fresh claim past its deadline, so a value is
 * never held twice, and no crash leaves a claim orphaned for ever. Export
 * it from the worker that hosts the aggregates (see `durableObjectFor`'s
 * `uniqueness` option) and declare it under `new_sqlite_classes`.
 */
export class UniqueValueClaims extends DurableObject {
  readonly #mutex = new CommandMutex();

  /** Grants the value to `owner` (pending) or refuses it; `fresh` says this call took it. */
  claim(request: ClaimRequest): Promise<{ readonly granted: boolean; readonly fresh: boolean }> {
    return this.#mutex.run(async () => {
      const current = await this.ctx.storage.get<ClaimRecord>('claim');
      if (current && current.key === request.key) {
        if (sameOwner(current.owner, request.owner)) {
          if (current.status === 'confirmed') return { granted: true, fresh: false };
          // A pending claim of the same owner is a leftover of an attempt that did not commit.
          await this.#put({ ...request, status: 'pending' });
          return { granted: true, fresh: true };
        }
        if (await this.#ownerHolds(current)) {
          if (current.status === 'pending') await this.#put({ ...current, status: 'confirmed' });
          return { granted: false, fresh: false };
        }
        if (current.status === 'pending' && Date.now() <= current.deadline) return { granted: false, fresh: false };
      }
      await this.#put({ ...request, status: 'pending' });
      return { granted: true, fresh: true };
    });
  }

  /** The owner committed: the claim is confirmed. */
  confirm(key: string, owner: ClaimOwner): Promise<void> {
    return this.#mutex.run(async () => {
      const current = await this.ctx.storage.get<ClaimRecord>('claim');
      if (current?.key === key && sameOwner(current.owner, owner)) await this.#put({ ...current, status: 'confirmed' });
    });
  }

  /** The owner gave the value up (or its command failed): anyone may claim it. */
  release(key: string, owner: ClaimOwner): Promise<void> {
    return this.#mutex.run(async () => {
      const current = await this.ctx.storage.get<ClaimRecord>('claim');
      if (current?.key === key && sameOwner(current.owner, owner)) await this.ctx.storage.deleteAll();
    });
  }

  /** Who holds the value now, for operators and tests (null if nobody). */
  holder(): Promise<{ readonly owner: ClaimOwner; readonly status: 'pending' | 'confirmed' } | null> {
    return this.ctx.storage.get<ClaimRecord>('claim').then((c) => (c ? { owner: c.owner, status: c.status } : null));
  }

  #put(record: ClaimRecord): Promise<void> {
    return this.ctx.storage.put('claim', record);
  }

  async #ownerHolds(record: ClaimRecord): Promise<boolean> {
    const namespace = (this.env as Record<string, unknown>)[record.owner.binding] as DurableObjectNamespace | undefined;
    if (!namespace)
      throw new TypeError(
        `UniqueValueClaims: binding '${record.owner.binding}' of the claim's owner is missing from env`,
      );
    const stub = namespace.get(namespace.idFromName(durableObjectName(record.owner.address))) as unknown as OwnerStub;
    return stub.holdsUniqueValue(record.key);
  }
}
