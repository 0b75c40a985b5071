import type { Aggregate, AggregateClass } from '../aggregate/aggregate.js';
import type { AggregateClient, CommandResult, ExecuteOptions } from '../client/command-types.js';
import { aggregateClientOf } from '../client/method-proxy.js';
import type { EventEnvelope } from '../events/envelope.js';

/** The address of one aggregate instance a process sends a command to. */
export interface CommandTarget {
  readonly aggregateClass: AggregateClass;
  readonly aggregateId: string;
  readonly tenantId?: string;
}

/**
 * How a process reaches aggregates: implemented by the runtime (the Durable
 * Object clients of `@escf/cloudflare`) or by `InMemoryAggregates` in tests.
 */
export type CommandSender = (
  target: CommandTarget,
  command: string,
  input: unknown,
  options: ExecuteOptions,
) => Promise<CommandResult>;

/** Typed command clients for a process handler; every call carries ids derived from the triggering event. */
export interface ProcessCommands {
  /** A typed client for one aggregate instance. */
  to<A extends Aggregate<any>>(
    aggregateClass: AggregateClass<A>,
    aggregateId: string,
    tenantId?: string,
  ): AggregateClient<A>;
}

/**
 * Builds the `commands` a handler receives for one event. The idempotency
 * key is `<process>:<event id>:<n>`, n counting the commands the handler
 * issued so far: a deterministic handler redelivered the same event issues
 * the same keys, and the aggregate answers them without appending again.
 */
export function processCommandsFor(
  sender: CommandSender,
  processName: string,
  trigger: Pick<EventEnvelope, 'id' | 'metadata'>,
): ProcessCommands {
  let issued = 0;
  return {
    to<A extends Aggregate<any>>(
      aggregateClass: AggregateClass<A>,
      aggregateId: string,
      tenantId?: string,
    ): AggregateClient<A> {
      return aggregateClientOf<A>((command, input, options) =>
        sender({ aggregateClass, aggregateId, ...(tenantId === undefined ? {} : { tenantId }) }, command, input, {
          idempotencyKey: `${processName}:${trigger.id}:${issued++}`,
          correlationId: trigger.metadata.correlationId,
          causationId: trigger.id,
          ...options,
        }),
      );
    },
  };
}

/** What a process `@EventHandler` receives after the envelope. */
export interface ProcessHandlerContext<Effects = unknown, Env = unknown> {
  /** The effects injected by `processEntrypoint(Class, { effects })`. */
  readonly effects: Effects;
  /** Commands to aggregates, idempotent per triggering event. */
  readonly commands: ProcessCommands;
  readonly env: Env;
}

/** What a trigger method (`@OnHttp`, `@OnQueue`, `@OnCron`) receives after its input. */
export interface ProcessTriggerContext<Effects = unknown, Env = unknown> extends ProcessHandlerContext<Effects, Env> {}
