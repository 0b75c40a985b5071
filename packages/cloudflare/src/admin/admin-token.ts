import { Forbidden, Unauthorized } from '@escf/core';
import { sameSecret } from '../security/same-secret.js';

export { sameSecret };

/** What a caller may do: `read` sees everything masked; `write` may also act and reveal sensitive fields. */
export type AdminScope = 'read' | 'write';

/** Who is calling, as passed to every admin RPC method (and read from HTTP headers). */
export interface AdminCredentials {
  /** A read- or write-scoped admin token (from a secret). */
  readonly token: string;
  /** Who acts, for the action log (e.g. the console's signed-in operator). */
  readonly actor?: string;
}

/** Names of the secret bindings that hold the admin tokens. */
export interface AdminTokenBindings {
  /** Read-only token binding; default `ESCF_ADMIN_READ_TOKEN`. */
  readonly readToken?: string;
  /** Write-scoped token binding (actions, revealing sensitive fields); default `ESCF_ADMIN_WRITE_TOKEN`. */
  readonly writeToken?: string;
}

/**
 * The scope a token grants. With no token binding configured every call is
 * refused (the admin surface is never open by accident).
 */
export async function scopeOf(env: object, bindings: AdminTokenBindings, token: unknown): Promise<AdminScope> {
  const secrets = env as Record<string, unknown>;
  const write = secrets[bindings.writeToken ?? 'ESCF_ADMIN_WRITE_TOKEN'];
  const read = secrets[bindings.readToken ?? 'ESCF_ADMIN_READ_TOKEN'];
  const usable = (value: unknown): value is string => typeof value === 'string' && value.length >= 16;
  if (!usable(write) && !usable(read)) {
    throw new Unauthorized(
      'The admin entrypoint has no token configured: set the ESCF_ADMIN_READ_TOKEN / ESCF_ADMIN_WRITE_TOKEN secrets (16+ characters)',
    );
  }
  if (typeof token !== 'string' || token.length === 0) throw new Unauthorized('An admin token is required');
  // Both comparisons always run, so timing does not tell which token matched.
  const [isWrite, isRead] = await Promise.all([
    usable(write) ? sameSecret(token, write) : false,
    usable(read) ? sameSecret(token, read) : false,
  ]);
  if (isWrite) return 'write';
  if (isRead) return 'read';
  throw new Unauthorized('Invalid admin token');
}

/** Throws `FORBIDDEN` unless the scope allows actions. */
export function requireWrite(scope: AdminScope, action: string): void {
  if (scope !== 'write') throw new Forbidden(`'${action}' needs a write-scoped admin token`);
}
