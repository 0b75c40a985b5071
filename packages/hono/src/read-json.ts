import type { Context } from 'hono';
import { HttpInputError } from './http-input-error.js';

/** Options of {@link readJson}. */
export interface ReadJsonOptions {
  /** Largest accepted body in bytes; larger → 413 `PAYLOAD_TOO_LARGE`. Defaults to 64 KiB. */
  readonly maxBytes?: number;
  /** Accept an empty body as `{}` (commands without input). Defaults to true. */
  readonly allowEmpty?: boolean;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

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
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readLimited(c.req.raw, maxBytes);
  if (text.trim() === '') {
    if (options.allowEmpty ?? true) return {};
    throw new HttpInputError('MALFORMED_JSON', 'The request body is empty; send a JSON document.');
  }
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new HttpInputError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.', { contentType });
  }
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key);
      return value;
    });
  } catch (error) {
    if (error instanceof ForbiddenKey) {
      throw new HttpInputError('FORBIDDEN_KEY', `The key "${error.key}" is not allowed in a request body.`, { key: error.key });
    }
    throw new HttpInputError('MALFORMED_JSON', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

class ForbiddenKey extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

function tooLarge(maxBytes: number): HttpInputError {
  return new HttpInputError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`, { maxBytes });
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
      await reader.cancel();
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
    throw new HttpInputError('MALFORMED_JSON', 'The request body is not valid UTF-8.');
  }
}
