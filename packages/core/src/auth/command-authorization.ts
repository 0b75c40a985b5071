import { Forbidden, Unauthorized } from '../errors/domain-error.js';
import type { Principal } from './principal.js';

/** What a guard sees: the caller, the validated input and the aggregate it targets. */
export interface GuardContext<I = unknown> {
  readonly principal: Principal;
  readonly input: I;
  /** The targeted aggregate instance: its id, tenant and current (frozen) state. */
  readonly aggregate: {
    readonly id: string;
    readonly tenantId: string | undefined;
    readonly state: any;
    readonly version: number;
  };
}

/**
 * Who may run a command, declared next to it (like Nest guards): checked
 * after the input is validated and before the method runs. A command with
 * `authorize` refuses callers without a principal (`UNAUTHORIZED`, 401) and
 * callers that fail a rule (`FORBIDDEN`, 403); nothing is stored.
 *
 * @example
 * ```ts
 * // Only the user themself, or an admin, may change a user.
 * @Command(UpdateUser, { authorize: { roles: ['admin'], allow: ({ principal, aggregate }) => principal.id === aggregate.id } })
 * ```
 */
export interface CommandAuthorization<I = unknown> {
  /**
   * Roles that grant the command on their own (any one of them). With
   * `allow` as well, either is enough: a role or the rule.
   */
  readonly roles?: readonly string[];
  /** Scopes the caller must all hold, whatever else grants it. */
  readonly scopes?: readonly string[];
  /** A rule over the caller, input and aggregate; true grants. */
  readonly allow?: (context: GuardContext<I>) => boolean | Promise<boolean>;
}

/**
 * Checks a command's authorization; throws `Unauthorized` or `Forbidden`.
 * With neither `roles` nor `allow`, any authenticated caller (with the
 * scopes) may run it. A principal of another tenant is always refused.
 */
export async function authorizeCommand(
  where: string,
  authorization: CommandAuthorization<any>,
  principal: Principal | undefined,
  context: Omit<GuardContext, 'principal'>,
): Promise<void> {
  if (principal === undefined) throw new Unauthorized(`${where} needs an authenticated caller`);
  const { tenantId } = context.aggregate;
  if (principal.tenantId !== undefined && tenantId !== undefined && principal.tenantId !== tenantId) {
    throw new Forbidden(`${where}: the caller belongs to another tenant`);
  }
  const missing = (authorization.scopes ?? []).filter((scope) => !principal.scopes?.includes(scope));
  if (missing.length > 0)
    throw new Forbidden(`${where} needs the scope(s) ${missing.join(', ')}`, { details: { missingScopes: missing } });
  const { roles, allow } = authorization;
  if (roles === undefined && allow === undefined) return;
  if (roles?.some((role) => principal.roles?.includes(role))) return;
  if (allow && (await allow({ ...context, principal }))) return;
  throw new Forbidden(`${where} is not allowed for this caller`);
}
