import { InternalError } from '@escf/core';
import { type DecodedRow, decodeSegment, type EncodedSegment } from './archive-segment.js';

/** Options of {@link R2SegmentStore}. */
export interface R2SegmentStoreOptions {
  /** How many decoded segments to keep in memory (segments are immutable, so caching is always safe). Defaults to 4. */
  readonly cacheSegments?: number;
}

/** How {@link R2SegmentStore.write} got a verified object in place. */
export type SegmentWriteOutcome = 'written' | 'reused';

/**
 * Writes and reads archive segments in R2. A write is only done once the
 * object has been read back and its content hash matches, and an object a
 * crashed run already wrote under the same key is verified and reused.
 */
export class R2SegmentStore {
  private readonly cache = new Map<string, DecodedRow[]>();
  private readonly cacheSize: number;

  constructor(
    private readonly bucket: R2Bucket,
    options: R2SegmentStoreOptions = {},
  ) {
    this.cacheSize = Math.max(0, options.cacheSegments ?? 4);
  }

  /** Puts the segment unless a verified copy already exists, then verifies it by reading it back. */
  async write(segment: EncodedSegment): Promise<SegmentWriteOutcome> {
    const existing = await this.bucket.head(segment.key);
    if (existing?.customMetadata?.sha256 === segment.sha256 && (await this.verify(segment.key, segment.sha256)))
      return 'reused';
    await this.bucket.put(segment.key, segment.gzip, {
      // R2 checks the upload against this digest of the compressed bytes.
      sha256: await crypto.subtle.digest('SHA-256', segment.gzip as BufferSource),
      httpMetadata: { contentType: 'application/x-ndjson', contentEncoding: 'gzip' },
      customMetadata: {
        sha256: segment.sha256,
        firstPosition: String(segment.firstPosition),
        lastPosition: String(segment.lastPosition),
        events: String(segment.eventCount),
      },
    });
    if (!(await this.verify(segment.key, segment.sha256))) {
      throw new InternalError(`Archive segment ${segment.key} does not read back as written`, {
        details: { key: segment.key },
      });
    }
    return 'written';
  }

  /** The rows of a committed segment; fails loudly if the object is missing or altered. */
  async read(key: string, sha256: string): Promise<DecodedRow[]> {
    const cached = this.cache.get(key);
    if (cached) {
      // Refresh its place in the LRU order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const object = await this.bucket.get(key);
    if (!object)
      throw new InternalError(`Archive segment ${key} is listed in the manifest but missing from R2`, {
        details: { key },
      });
    const decoded = await decodeSegment(object.body);
    if (decoded.sha256 !== sha256)
      throw new InternalError(`Archive segment ${key} fails its checksum`, {
        details: {
          key,
          expected: sha256,
          actual: decoded.sha256,
        },
      });
    if (this.cacheSize > 0) {
      this.cache.set(key, decoded.rows);
      while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    return decoded.rows;
  }

  private async verify(key: string, sha256: string): Promise<boolean> {
    const object = await this.bucket.get(key);
    if (!object) return false;
    try {
      return (await decodeSegment(object.body)).sha256 === sha256;
    } catch {
      return false; // unreadable (e.g. not gzip): overwrite it
    }
  }
}
