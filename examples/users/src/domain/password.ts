/**
 * Password hashing with PBKDF2-SHA-256 from Web Crypto, available in Workers
 * and Node alike. The stored form is `pbkdf2$<iterations>$<salt>$<hash>`.
 */
import { constantTimeEqual } from './secrets.js';

const ITERATIONS = 100_000; // the most Workers' PBKDF2 accepts
const encoder = new TextEncoder();

export async function hashPassword(
  password: string,
  salt = crypto.getRandomValues(new Uint8Array(16)),
): Promise<string> {
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2$${ITERATIONS}$${toHex(salt)}$${toHex(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, expected] = stored.split('$');
  if (scheme !== 'pbkdf2' || !iterations || !salt || !expected) return false;
  const actual = toHex(await derive(password, fromHex(salt), Number(iterations)));
  // Constant-time comparison: do not leak how many characters matched.
  return constantTimeEqual(actual, expected);
}

/**
 * A hash no password matches, computed once per isolate: sign-in verifies
 * against it when the address is unknown, so an unknown account costs the
 * same time as a wrong password and timing does not tell which exist.
 */
let dummy: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  return (dummy ??= hashPassword(crypto.randomUUID()));
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array {
  return new Uint8Array(hex.match(/../g)?.map((pair) => parseInt(pair, 16)) ?? []);
}
