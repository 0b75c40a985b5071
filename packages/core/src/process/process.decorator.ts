import { MetadataKey } from '../metadata/metadata-keys.js';
import { reactorClassDecorator } from '../projection/reactor-handlers.js';

/** What `@Process` records on a class. */
export interface ProcessMetadata {
  readonly name: string;
}

/**
 * Declares a process (a reaction, seed 002's "action"): `@EventHandler`
 * methods that run side effects and issue commands when events happen, and
 * optional HTTP (`@OnHttp`), queue (`@OnQueue`) and cron (`@OnCron`)
 * triggers. `processEntrypoint(Class)` from `@escf/cloudflare` turns it
 * into a worker.
 *
 * Handlers receive the envelope and a {@link ProcessHandlerContext}: the
 * injected effects and `commands`, whose calls carry the event's
 * correlation id, the event id as causation id and an idempotency key
 * derived from the event, so a redelivered event never issues a command
 * twice. Events are deduplicated by id; a replay never runs effects.
 *
 * @example
 * ```ts
 * @Process('send-email-verification')
 * export class SendEmailVerification {
 *   @EventHandler(UserEmailVerificationIssued)
 *   async onIssued(e: Envelope<UserEmailVerificationIssued>, { effects }: ProcessHandlerContext<Effects>) {
 *     await effects.sendEmailVerification(e.payload.newEmail, e.payload.token);
 *   }
 * }
 * ```
 */
export function Process(name: string) {
  return reactorClassDecorator('@Process', MetadataKey.Process, name);
}
