import type { AggregateClass } from '../aggregate/aggregate.js';
import { DefinitionError } from '../errors/definition-error.js';
import type { EventDefinition } from '../events/event-definition.js';
import type { AggregateDescriptor } from './aggregate-descriptor.js';
import { describeAggregate } from './describe-aggregate.js';

/** What a system is made of. */
export interface SystemDefinition {
  readonly aggregates: readonly AggregateClass[];
}

/**
 * The immutable metadata registry of one system (one bounded context):
 * every aggregate with its commands and reducers, and every event type with
 * the aggregate that owns it. Built once at start-up by {@link createRegistry};
 * hosts, clients and the code generator read it.
 */
export interface Registry {
  readonly aggregates: ReadonlyMap<string, AggregateDescriptor>;
  /** Keyed by event type name. */
  readonly events: ReadonlyMap<string, EventDefinition & { readonly aggregateType: string }>;
  /** The descriptor of an aggregate type, or a `DefinitionError` naming the known ones. */
  aggregate(type: string): AggregateDescriptor;
}

/**
 * Walks every class of the system once, validates each and the system as a
 * whole (unique aggregate type names; every event type owned by exactly one
 * aggregate, as events belong to the aggregate that emits them), and returns
 * a frozen {@link Registry}.
 */
export function createRegistry(definition: SystemDefinition): Registry {
  const aggregates = new Map<string, AggregateDescriptor>();
  const events = new Map<string, EventDefinition & { aggregateType: string }>();
  for (const aggregateClass of definition.aggregates) {
    const descriptor = describeAggregate(aggregateClass);
    const clash = aggregates.get(descriptor.type);
    if (clash && clash.aggregateClass !== aggregateClass) {
      throw new DefinitionError(
        `Two aggregate classes use the type name '${descriptor.type}': ${clash.aggregateClass.name} and ${aggregateClass.name}. Type names must be unique in a system.`,
      );
    }
    aggregates.set(descriptor.type, descriptor);
    for (const { event } of descriptor.reducers.values()) {
      const owner = events.get(event.type);
      if (owner && owner.aggregateType !== descriptor.type) {
        throw new DefinitionError(
          `Event type '${event.type}' is handled by both ${owner.aggregateType} and ${descriptor.type}. An event belongs to one aggregate; give the other its own event.`,
        );
      }
      events.set(event.type, { ...event, aggregateType: descriptor.type });
    }
  }
  return Object.freeze({
    aggregates,
    events,
    aggregate(type: string): AggregateDescriptor {
      const found = aggregates.get(type);
      if (!found) {
        throw new DefinitionError(
          `No aggregate of type '${type}' in this system. Known: ${[...aggregates.keys()].join(', ') || '(none)'}.`,
        );
      }
      return found;
    },
  });
}
