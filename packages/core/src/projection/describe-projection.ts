import { bindingPrefix } from '../conventions/naming.js';
import { DefinitionError } from '../errors/definition-error.js';
import type { EventDefinition } from '../events/event-definition.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { getClassMetadata } from '../metadata/metadata-store.js';
import type { ProjectionMetadata } from './projection.decorator.js';
import { type ReactorHandler, reactorHandlers } from './reactor-handlers.js';

/** Everything the runtime needs to know about one `@Projection` class. */
export interface ProjectionDescriptor {
  readonly name: string;
  readonly projectionClass: Function;
  /** `SESSIONS` for `'sessions'`: prefix of the conventional bindings. */
  readonly bindingPrefix: string;
  /** Handlers keyed by event type name. */
  readonly handlers: ReadonlyMap<string, ReactorHandler>;
  /** The definitions of the events it handles: what its `Upcaster` is built from. */
  readonly events: readonly EventDefinition[];
  /** Public methods that are not handlers: the queries served over RPC. */
  readonly queries: readonly string[];
}

const cache = new WeakMap<Function, ProjectionDescriptor>();

/** Reads and validates a `@Projection` class once; later calls return the same descriptor. */
export function describeProjection(projectionClass: Function): ProjectionDescriptor {
  const cached = cache.get(projectionClass);
  if (cached) return cached;
  const className = projectionClass?.name || '(anonymous class)';
  const meta =
    typeof projectionClass === 'function'
      ? getClassMetadata<ProjectionMetadata>(projectionClass, MetadataKey.Projection)
      : undefined;
  if (!meta) {
    throw new DefinitionError(`${className} is not a projection: decorate it with @Projection('name').`);
  }
  const handlers = reactorHandlers(projectionClass, className);
  if (handlers.size === 0) {
    throw new DefinitionError(
      `Projection '${meta.name}' (${className}) has no @EventHandler methods, so it would never change.`,
    );
  }
  const descriptor: ProjectionDescriptor = Object.freeze({
    name: meta.name,
    projectionClass,
    bindingPrefix: bindingPrefix(meta.name),
    handlers,
    events: [...handlers.values()].map((h) => h.event),
    queries: publicMethods(projectionClass, new Set([...handlers.values()].map((h) => h.member))),
  });
  cache.set(projectionClass, descriptor);
  return descriptor;
}

/** Own and inherited prototype methods, minus the constructor, handlers and `_private` ones. */
export function publicMethods(cls: Function, exclude: ReadonlySet<string | symbol>): string[] {
  const names = new Set<string>();
  for (
    let proto = cls.prototype as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name.startsWith('_') || exclude.has(name)) continue;
      const property = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof property?.value === 'function') names.add(name);
    }
  }
  return [...names];
}
