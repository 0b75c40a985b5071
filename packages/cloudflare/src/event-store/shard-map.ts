import { streamKey } from '@escf/core/internal';
import type { StreamId } from '@escf/core/store';

/**
 * One generation of the event store's shard layout: streams created under
 * it are spread over its first `count` shard databases. Adding shards adds
 * a generation; streams keep the generation they were created under, so no
 * history ever moves.
 */
export interface ShardLayout {
  /** Shard databases this generation spreads new streams over (the first `count` bindings). */
  readonly count: number;
}

/**
 * Which shard databases hold which streams: generations of layouts, oldest
 * first. A stream is placed by a stable hash of (tenant, type, id) modulo
 * the count of the generation it was created under.
 */
export class ShardMap {
  readonly layouts: readonly ShardLayout[];

  /** `layouts` oldest first; a plain number is one generation of that many shards. */
  constructor(layouts: number | readonly ShardLayout[]) {
    this.layouts = typeof layouts === 'number' ? [{ count: layouts }] : [...layouts];
    if (this.layouts.length === 0) throw new RangeError('A shard map needs at least one layout.');
    let previous = 0;
    for (const layout of this.layouts) {
      if (!Number.isInteger(layout.count) || layout.count < 1 || layout.count < previous) {
        throw new RangeError(
          `Shard layouts must count 1 or more shards and never fewer than the generation before (got ${layout.count} after ${previous}): history never moves, so shards are only added.`,
        );
      }
      previous = layout.count;
    }
  }

  /** How many shard databases there are (the newest generation's count). */
  get shardCount(): number {
    return this.layouts.at(-1)!.count;
  }

  /** The shard a new stream goes to (the newest generation). */
  shardOfNewStream(stream: StreamId): number {
    return shardIndex(stream, this.shardCount);
  }

  /**
   * The distinct shards the stream may live in, newest generation first:
   * one shard unless the stream hashes differently under older generations.
   */
  candidates(stream: StreamId): number[] {
    const hash = streamHash(stream);
    const shards: number[] = [];
    for (let i = this.layouts.length - 1; i >= 0; i--) {
      const shard = hash % this.layouts[i]!.count;
      if (!shards.includes(shard)) shards.push(shard);
    }
    return shards;
  }
}

/** The shard of `stream` among `count` shards: a stable hash of its key, modulo `count`. */
export function shardIndex(stream: StreamId, count: number): number {
  return streamHash(stream) % count;
}

/**
 * 32-bit FNV-1a over the UTF-16 code units of {@link streamKey}, then
 * MurmurHash3's finalizer so that every input bit moves the low bits too
 * (plain FNV-1a modulo a power of two depends on the last character only:
 * `user-1`…`user-8` would fill the shards in a fixed pattern). Stable across
 * runtimes and releases — it decides where history lives, so it must never
 * change — and cheap enough to run on every append.
 */
export function streamHash(stream: StreamId): number {
  const key = streamKey(stream);
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
