import { sha256Hex } from '../platform/web-globals.js';

/**
 * A fingerprint of what an idempotency key stands for: the command name and
 * its input, as SHA-256 over canonical JSON (object keys sorted, so the same
 * input sent with its fields in another order matches). Hosts store it with
 * the key and refuse a key that comes back with another fingerprint.
 */
export function idempotencyFingerprint(command: string, input: unknown): Promise<string> {
  return sha256Hex(canonicalJson([command, input ?? {}]));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
