import { sameSecret } from '@escf/cloudflare/admin';

/** The session cookie's name. `__Host-` would forbid it on http://localhost, where `npm run dev` serves. */
export const SESSION_COOKIE = 'escf_console';
/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const encoder = new TextEncoder();

async function signature(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(`escf-console-session:${secret}`),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(message));
  return btoa(String.fromCharCode(...new Uint8Array(mac)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * A stateless session value: its expiry and a nonce, signed with a key
 * derived from the console password. Changing the password signs everyone out.
 */
export async function issueSession(secret: string, now = Date.now()): Promise<string> {
  const nonce = crypto.randomUUID();
  const message = `v1.${now + SESSION_TTL_MS}.${nonce}`;
  return `${message}.${await signature(secret, message)}`;
}

/** True when `value` is an unexpired session signed with `secret` (compared in constant time). */
export async function isValidSession(secret: string, value: string | undefined, now = Date.now()): Promise<boolean> {
  if (!value) return false;
  const parts = value.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return false;
  const expires = Number(parts[1]);
  if (!Number.isFinite(expires) || expires < now) return false;
  return sameSecret(parts[3]!, await signature(secret, parts.slice(0, 3).join('.')));
}

/** The `Set-Cookie` value of a session (HttpOnly, Secure, SameSite=Strict), or of its removal. */
export function sessionCookie(value: string | null): string {
  const attributes = 'Path=/; HttpOnly; Secure; SameSite=Strict';
  return value === null
    ? `${SESSION_COOKIE}=; ${attributes}; Max-Age=0`
    : `${SESSION_COOKIE}=${value}; ${attributes}; Max-Age=${SESSION_TTL_MS / 1000}`;
}
