import { DefinitionError } from '@escf/core';
import { type ProjectionDescriptor, reactorBindings } from '@escf/core/internal';
import type { DatabaseRole } from './projection-active-database.js';
import type { ProjectionEntrypointOptions } from './projection-entrypoint.js';
import { ProjectionEventLog } from './projection-event-log.js';

/** Methods the entrypoint answers itself (or the platform calls): a projection query may not take their names. */
const RESERVED = ['deliver', 'status', 'rebuild', 'rebuildStep', 'retryStuck', 'queue', 'fetch', 'scheduled'];

/** A projection's entrypoint options with the conventions and defaults filled in, checked once at definition time. */
export interface ProjectionSettings<Env> {
  readonly descriptor: ProjectionDescriptor;
  readonly options: ProjectionEntrypointOptions<Env>;
  /** Its own D1 binding (`<NAME>_DB` unless given). */
  readonly databaseBinding: string;
  /** The second D1 binding of blue/green rebuilds, if any. */
  readonly standbyBinding: string | undefined;
  /** Its queue's producer binding (`<NAME>_QUEUE` unless given). */
  readonly queueBinding: string;
  readonly maxRetries: number;
  readonly rebuildBatchSize: number;
  /** The D1 event log as configured (binding, table), checked now rather than on the first delivery. */
  readonly eventLog: ProjectionEventLog;
  /** The query methods exposed over RPC (`resetReadModel` is the rebuild's, never exposed). */
  readonly queries: readonly string[];
}

/** Resolves and checks a projection's settings; throws `DefinitionError` for a query that takes a reserved name. */
export function projectionSettings<Env>(
  descriptor: ProjectionDescriptor,
  options: ProjectionEntrypointOptions<Env>,
): ProjectionSettings<Env> {
  for (const query of descriptor.queries) {
    if (RESERVED.includes(query)) {
      throw new DefinitionError(
        `Projection '${descriptor.name}' has a method named '${query}', which its entrypoint reserves; rename it.`,
      );
    }
  }
  const conventional = reactorBindings(descriptor.bindingPrefix);
  const databaseBinding = options.database ?? conventional.database;
  if (options.standbyDatabase === databaseBinding) {
    throw new DefinitionError(
      `Projection '${descriptor.name}': standbyDatabase must name a second D1 binding, not '${databaseBinding}' again.`,
    );
  }
  return {
    descriptor,
    options,
    databaseBinding,
    standbyBinding: options.standbyDatabase,
    queueBinding: options.queue ?? conventional.queue,
    maxRetries: options.maxRetries ?? 3,
    rebuildBatchSize: options.rebuildBatchSize ?? 1_000,
    eventLog: new ProjectionEventLog(
      descriptor.name,
      typeof options.eventStore === 'function' ? {} : options.eventStore,
    ),
    queries: descriptor.queries.filter((query) => query !== 'resetReadModel'),
  };
}

/** The binding of one side of a blue/green projection. */
export function bindingOfRole<Env>(settings: ProjectionSettings<Env>, role: DatabaseRole): string {
  return role === 'standby' ? settings.standbyBinding! : settings.databaseBinding;
}
