import type { EventEnvelope } from '@escf/core';

/** One D1 event-store row as a segment holds it: one aggregate's batch, events in version order. */
export interface ArchivedRow {
  readonly position: number;
  readonly tenantId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly firstVersion: number;
  /** The row's events exactly as D1 stored them (a JSON array). */
  readonly eventsJson: string;
}

/** A segment's bytes and the facts the manifest records about it. */
export interface EncodedSegment {
  readonly key: string;
  readonly gzip: Uint8Array;
  /** Hex SHA-256 of the uncompressed NDJSON: what a read-back is verified against. */
  readonly sha256: string;
  readonly ndjsonBytes: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  readonly rowCount: number;
  readonly eventCount: number;
}

/**
 * The object key of a segment: per aggregate type and global-position range,
 * plus a content hash, so the same rows always map to the same key (a re-run
 * after a crash finds and verifies its own object) and different rows never
 * overwrite each other.
 */
export function segmentKey(
  prefix: string,
  aggregateType: string,
  firstPosition: number,
  lastPosition: number,
  sha256: string,
): string {
  const pad = (n: number) => String(n).padStart(16, '0');
  return `${prefix}segments/${encodeURIComponent(aggregateType)}/${pad(firstPosition)}-${pad(lastPosition)}-${sha256.slice(0, 16)}.ndjson.gz`;
}

/** Serialises rows (one aggregate type, position order) as gzip-compressed NDJSON, one row per line. */
export async function encodeSegment(prefix: string, rows: readonly ArchivedRow[]): Promise<EncodedSegment> {
  if (rows.length === 0) throw new RangeError('A segment needs at least one row');
  const type = rows[0]!.aggregateType;
  let eventCount = 0;
  let lastPosition = 0;
  const lines = rows.map((row) => {
    if (row.aggregateType !== type)
      throw new RangeError(`A segment holds one aggregate type; got ${type} and ${row.aggregateType}`);
    const count = countEvents(row.eventsJson);
    eventCount += count;
    lastPosition = Math.max(lastPosition, row.position + count - 1);
    // The events array is spliced in as stored: no parse/stringify round trip.
    return `{"position":${row.position},"tenantId":${JSON.stringify(row.tenantId)},"aggregateType":${JSON.stringify(type)},"aggregateId":${JSON.stringify(row.aggregateId)},"firstVersion":${row.firstVersion},"events":${row.eventsJson}}`;
  });
  const ndjson = new TextEncoder().encode(`${lines.join('\n')}\n`);
  const sha256 = await sha256Hex(ndjson);
  const gzip = await gzipBytes(ndjson);
  const firstPosition = rows[0]!.position;
  return {
    key: segmentKey(prefix, type, firstPosition, lastPosition, sha256),
    gzip,
    sha256,
    ndjsonBytes: ndjson.byteLength,
    firstPosition,
    lastPosition,
    rowCount: rows.length,
    eventCount,
  };
}

/** A decoded segment row with its events parsed and positioned. */
export interface DecodedRow {
  readonly position: number;
  readonly tenantId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly firstVersion: number;
  readonly events: EventEnvelope[];
}

/** Decompresses and parses a segment; returns its rows and the SHA-256 of its NDJSON. */
export async function decodeSegment(
  gzip: ArrayBuffer | Uint8Array | ReadableStream<Uint8Array>,
): Promise<{ rows: DecodedRow[]; sha256: string }> {
  const source = gzip instanceof ReadableStream ? gzip : new Blob([gzip as BufferSource]).stream();
  const ndjson = new Uint8Array(await new Response(source.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const sha256 = await sha256Hex(ndjson);
  const rows: DecodedRow[] = [];
  for (const line of new TextDecoder().decode(ndjson).split('\n')) {
    if (line.length === 0) continue;
    const row = JSON.parse(line) as Omit<DecodedRow, 'events'> & { events: EventEnvelope[] };
    rows.push({ ...row, events: row.events.map((event, index) => ({ ...event, position: row.position + index })) });
  }
  return { rows, sha256 };
}

async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BufferSource]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Counts the elements of a stored events array without parsing payloads twice. */
function countEvents(eventsJson: string): number {
  return (JSON.parse(eventsJson) as unknown[]).length;
}
