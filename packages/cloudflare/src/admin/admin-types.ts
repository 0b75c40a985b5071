import type { EventMetadata, SerializedError } from '@escf/core';
import type { ArchivePreview, ArchiveStatus } from '../archive/archive-report.js';
import type { ProjectionStatus } from '../projection/projection-status.js';
import type { OutboxBacklog } from './outbox-backlog.js';
import type { StateChange } from './state-diff.js';
import type { ReactorTopology } from './system-topology.js';

/** One aggregate instance's stream, as the admin methods address it. */
export interface StreamAddress {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly tenantId?: string;
}

/** The system map: every aggregate with its commands and events, and who consumes what. */
export interface SystemMap {
  readonly name: string;
  readonly aggregates: readonly {
    readonly type: string;
    readonly worker: string;
    readonly commands: readonly {
      readonly name: string;
      readonly inputSchema: Record<string, unknown>;
      readonly emits: readonly string[] | null;
    }[];
    readonly events: readonly {
      readonly type: string;
      readonly version: number;
      /** Stored versions that are read through `@Upcast` lenses (1 … version − 1), and former type names. */
      readonly upcastFrom: readonly number[];
      readonly formerly: readonly string[];
      readonly sensitive: readonly string[];
      readonly consumers: readonly string[];
    }[];
  }[];
  readonly projections: readonly ReactorTopology[];
  readonly processes: readonly ReactorTopology[];
  readonly queues: readonly {
    readonly name: string;
    readonly consumer: string;
    readonly deadLetterQueue: string | null;
  }[];
}

/** One instance found in the log. */
export interface InstanceSummary extends StreamAddress {
  readonly version: number;
  readonly lastPosition: number;
  readonly lastEventAt: number | null;
  /** The shard database that holds the stream (sharded event stores only; `lastPosition` is that shard's). */
  readonly shard?: number;
  /** Per delivery target, when asked for (`withBacklog`). */
  readonly outbox?: OutboxBacklog | { readonly error: string };
}

/** Search filters of `instances`. */
export interface InstanceQuery {
  readonly aggregateType?: string;
  /** An exact id, or a prefix ending in `*`. */
  readonly aggregateId?: string;
  readonly tenantId?: string;
  /** At most 200; default 50. */
  readonly limit?: number;
  /** Also ask each instance's Durable Object for its outbox backlog. */
  readonly withBacklog?: boolean;
}

/** One event of a stream as the inspector shows it. */
export interface InspectedEvent {
  readonly id: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly tenantId?: string;
  readonly version: number;
  readonly position: number | null;
  readonly type: string;
  readonly timestamp: number;
  /** The schema version the payload was stored at, and the one it is read as (after upcasting). */
  readonly storedSchemaVersion: number;
  readonly readSchemaVersion: number;
  /** The payload as read (upcast), sensitive fields masked unless revealed. */
  readonly payload: unknown;
  readonly metadata: EventMetadata;
  /** The shard database the event is stored in (a sharded log's tail only; `position` is that shard's). */
  readonly shard?: number;
  /** Set when the event cannot be read by this code (an upcast failed). */
  readonly readError?: SerializedError;
}

/** A page of a stream. */
export interface StreamPage extends StreamAddress {
  readonly head: number;
  readonly events: readonly InspectedEvent[];
  /** The version to ask for next, or null at the end. */
  readonly nextVersion: number | null;
}

/** Parameters of `stream`. */
export interface StreamQuery extends StreamAddress {
  readonly fromVersion?: number;
  /** At most 500; default 100. */
  readonly limit?: number;
  /** Show sensitive fields (write scope only; logged). */
  readonly reveal?: boolean;
}

/** The state of an instance after `version` events, replayed through its own reducers. */
export interface StateAtVersion extends StreamAddress {
  readonly version: number;
  readonly head: number;
  readonly state: unknown;
}

/** Differences between the states at two versions. */
export interface StateDiff extends StreamAddress {
  readonly from: number;
  readonly to: number;
  readonly changes: readonly StateChange[];
}

/** A projection's health. */
export interface ProjectionHealth {
  readonly name: string;
  readonly worker: string;
  readonly delivery: 'queue' | 'sync';
  readonly logHead: number;
  readonly status: ProjectionStatus | null;
  /**
   * Events of its types in the log after the last position it applied (up
   * to 1,000 read). Over a sharded log: the events of its types after its
   * position in each shard (up to 1,000 D1 rows read per shard), summed
   * over shards (`shards`).
   */
  readonly lagEvents: number | null;
  /** Age of the oldest of those events, in ms (0 when caught up). */
  readonly lagMs: number | null;
  /** Only over a sharded log: per shard (by number), the position it has applied and the events of its types after it. */
  readonly shards?: readonly ProjectionShardLag[];
  /** Why the status could not be read, if so. */
  readonly error?: string;
}

/** A projection's progress in one shard of a sharded log. */
export interface ProjectionShardLag {
  /** The highest position of this shard it has applied (0: none yet). */
  readonly position: number;
  /** Events of its types in this shard after `position`. */
  readonly lagEvents: number;
}

/** A process's health, as far as its worker reports it. */
export interface ProcessHealth {
  readonly name: string;
  readonly worker: string;
  readonly delivery: 'queue' | 'sync';
  readonly deadLetterQueue: string | null;
  /** The process entrypoint's own `status()` report, when it offers one and the admin worker can reach it. */
  readonly status: unknown;
  readonly error?: string;
}

/** The archive's state. */
export interface ArchiveOverview {
  readonly configured: boolean;
  readonly status: ArchiveStatus | null;
  /** What the next run would archive under the retention policy. */
  readonly next: ArchivePreview | null;
  /** The last run's report, when the system keeps one (`lastArchiveRun` option). */
  readonly lastRun: unknown;
}

/** New events after a position. */
export interface TailPage {
  /** The log's head: its last position, or with shards the sum of every shard's. */
  readonly head: number;
  /** Each shard's last position (sharded logs only): what `tailEvents({ after })` takes to tail every shard. */
  readonly shardHeads?: readonly number[];
  readonly events: readonly InspectedEvent[];
}

/** A command sent from the console. */
export interface SendCommandRequest extends StreamAddress {
  readonly command: string;
  readonly input: unknown;
}

/** What a command did: the events it committed or its error. */
export type SendCommandOutcome =
  | { readonly ok: true; readonly version: number; readonly events: readonly InspectedEvent[] }
  | { readonly ok: false; readonly error: SerializedError };
