import type { Context } from 'hono';
import { HttpInputError } from './http-input-error.js';

/** Options of {@link readJson}. */
export interface ReadJsonOptions {
  /** Largest accepted body in bytes; larger → 413 `PAYLOAD_TOO_LARGE`. Defaults to 64 KiB. */
  readonly maxBytes?: number;
  /** Accept an empty body as `{}` (commands without input). Defaults to true. */
  readonly allowEmpty?: boolean;
  /** Deepest accepted nesting of arrays and objects; deeper → 400 `JSON_TOO_DEEP`. Defaults to 32. */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const DEFAULT_MAX_JSON_DEPTH = 32;

/** How much of an oversized body is read and discarded so the 413 reaches the client instead of a reset. */
const DRAIN_BYTES = 8 << 20;

/** Keys that could rewrite prototypes once the value is merged into objects. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads a request body as JSON, safely: checks the content type (415), the
 * size while streaming — a lying or missing Content-Length cannot get more
 * bytes through (413) — the syntax (400 `MALFORMED_JSON`) and rejects keys
 * such as `__proto__` anywhere in the document (400 `FORBIDDEN_KEY`).
 */
export async function readJson(c: Context, options: ReadJsonOptions = {}): Promise<unknown> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const contentType = c.req.header('content-type') ?? '';
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    if (c.req.raw.body) await drain(c.req.raw.body.getReader(), 0, Math.max(maxBytes, DRAIN_BYTES));
    throw tooLarge(maxBytes);
  }
  const text = await readLimited(c.req.raw, maxBytes);
  if (text.trim() === '') {
    if (options.allowEmpty ?? true) return {};
    throw new HttpInputError('The request body is empty; send a JSON document.', { code: 'MALFORMED_JSON' });
  }
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new HttpInputError('Send the body as application/json.', {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: { contentType },
    });
  }
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  if (nestingDepth(text, maxDepth) > maxDepth) {
    // Refused before parsing: a 10,000-deep document would exhaust the stack of every recursive walk after it.
    throw new HttpInputError(`The request body nests arrays/objects deeper than ${maxDepth} levels.`, {
      code: 'JSON_TOO_DEEP',
      details: {
        maxDepth,
      },
    });
  }
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key);
      return value;
    });
  } catch (error) {
    if (error instanceof ForbiddenKey) {
      throw new HttpInputError(`The key "${error.key}" is not allowed in a request body.`, {
        code: 'FORBIDDEN_KEY',
        details: {
          key: error.key,
        },
      });
    }
    throw new HttpInputError(`The request body is not valid JSON: ${(error as Error).message}`, {
      code: 'MALFORMED_JSON',
    });
  }
}

/** The deepest nesting of `[`/`{` outside strings, counted up to `limit + 1` in one pass. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}

class ForbiddenKey extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/**
 * Reads and discards the rest of an oversized body (up to `limit` bytes) so
 * that a client still sending gets the JSON 413 rather than a reset
 * connection; beyond the limit the stream is cancelled.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, read: number, limit: number): Promise<void> {
  try {
    while (read <= limit) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing left to answer.
  }
}

function tooLarge(maxBytes: number): HttpInputError {
  return new HttpInputError(`The request body is larger than ${maxBytes} bytes.`, {
    code: 'PAYLOAD_TOO_LARGE',
    details: { maxBytes },
  });
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await drain(reader, size, Math.max(maxBytes, DRAIN_BYTES));
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new HttpInputError('The request body is not valid UTF-8.', { code: 'MALFORMED_JSON' });
  }
}
