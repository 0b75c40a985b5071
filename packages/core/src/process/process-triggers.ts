import { memberName } from '../aggregate/command.decorator.js';
import { DefinitionError } from '../errors/definition-error.js';
import { checkedMethodContext, isStandardDecoratorContext } from '../metadata/decorator-mode.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { defineMemberMetadata, defineStandardMemberMetadata } from '../metadata/metadata-store.js';

/** A non-event trigger of a process method. */
export type ProcessTrigger =
  | { readonly kind: 'http'; readonly method: string; readonly path: string }
  | { readonly kind: 'queue'; readonly queue: string }
  | { readonly kind: 'cron'; readonly cron: string };

/** The decorator a process trigger returns: experimental or standard (TC39) decorators alike. */
export interface TriggerDecorator {
  (target: object, member: string | symbol, descriptor: PropertyDescriptor): void;
  (method: (...args: any[]) => unknown, context: ClassMethodDecoratorContext): void;
}

function trigger(trigger: ProcessTrigger, label: string): TriggerDecorator {
  return ((target: object, memberOrContext: unknown, descriptor: PropertyDescriptor | undefined): void => {
    if (isStandardDecoratorContext(memberOrContext)) {
      const context = checkedMethodContext(memberOrContext, label);
      if (!defineStandardMemberMetadata(context, MetadataKey.Process, trigger)) {
        throw new DefinitionError(`${String(context.name)} has two triggers; give each trigger its own method.`);
      }
      return;
    }
    const member = memberOrContext as string | symbol;
    const where = memberName(target, member);
    if (typeof target === 'function' || !descriptor || typeof descriptor.value !== 'function') {
      throw new DefinitionError(`${label} on ${where}: it must decorate an instance method.`);
    }
    if (!defineMemberMetadata(target, MetadataKey.Process, member, trigger)) {
      throw new DefinitionError(`${where} has two triggers; give each trigger its own method.`);
    }
  }) as TriggerDecorator;
}

/**
 * Runs the method for HTTP requests matching `method` and `path` (exact, or
 * a prefix when it ends in `*`). The method receives `(request, context)`
 * and returns a `Response` or a JSON-serialisable value.
 */
export function OnHttp(method: string, path: string) {
  if (!path.startsWith('/'))
    throw new DefinitionError(`@OnHttp('${method}', '${path}'): the path must start with '/'.`);
  return trigger({ kind: 'http', method: method.toUpperCase(), path }, `@OnHttp('${method}', '${path}')`);
}

/** Runs the method for each message of the named queue: `(body, context)`. */
export function OnQueue(queue: string) {
  return trigger({ kind: 'queue', queue }, `@OnQueue('${queue}')`);
}

/** Runs the method on the cron schedule (declare the same cron in wrangler's `triggers.crons`): `(controller, context)`. */
export function OnCron(cron: string) {
  return trigger({ kind: 'cron', cron }, `@OnCron('${cron}')`);
}
