import { bindingPrefix } from '../conventions/naming.js';
import { DefinitionError } from '../errors/definition-error.js';
import type { EventDefinition } from '../events/event-definition.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { getClassMetadata, getMemberMetadata } from '../metadata/metadata-store.js';
import { type ReactorHandler, reactorHandlers } from '../projection/reactor-handlers.js';
import type { ProcessMetadata } from './process.decorator.js';
import type { ProcessTrigger } from './process-triggers.js';

/** Everything the runtime needs to know about one `@Process` class. */
export interface ProcessDescriptor {
  readonly name: string;
  readonly processClass: Function;
  readonly bindingPrefix: string;
  readonly handlers: ReadonlyMap<string, ReactorHandler>;
  readonly events: readonly EventDefinition[];
  readonly triggers: ReadonlyArray<{ readonly member: string | symbol; readonly trigger: ProcessTrigger }>;
}

const cache = new WeakMap<Function, ProcessDescriptor>();

/** Reads and validates a `@Process` class once. */
export function describeProcess(processClass: Function): ProcessDescriptor {
  const cached = cache.get(processClass);
  if (cached) return cached;
  const className = processClass?.name || '(anonymous class)';
  const meta =
    typeof processClass === 'function'
      ? getClassMetadata<ProcessMetadata>(processClass, MetadataKey.Process)
      : undefined;
  if (!meta) throw new DefinitionError(`${className} is not a process: decorate it with @Process('name').`);
  const handlers = reactorHandlers(processClass, className);
  const triggers = [...getMemberMetadata<ProcessTrigger>(processClass.prototype as object, MetadataKey.Process)].map(
    ([member, trigger]) => ({
      member,
      trigger,
    }),
  );
  for (const { member } of triggers) {
    if ([...handlers.values()].some((h) => h.member === member)) {
      throw new DefinitionError(
        `${className}.${String(member)} is both an @EventHandler and a trigger; use two methods.`,
      );
    }
  }
  if (handlers.size === 0 && triggers.length === 0) {
    throw new DefinitionError(
      `Process '${meta.name}' (${className}) has no @EventHandler, @OnHttp, @OnQueue or @OnCron methods.`,
    );
  }
  const descriptor: ProcessDescriptor = Object.freeze({
    name: meta.name,
    processClass,
    bindingPrefix: bindingPrefix(meta.name),
    handlers,
    events: [...handlers.values()].map((h) => h.event),
    triggers,
  });
  cache.set(processClass, descriptor);
  return descriptor;
}
