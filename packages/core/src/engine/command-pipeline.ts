import type { Aggregate } from '../aggregate/aggregate.js';
import type { CommandResult, ExecuteOptions } from '../client/command-types.js';
import { ConcurrencyError } from '../errors/concurrency-error.js';
import { IdempotencyKeyReusedError } from '../errors/idempotency-key-reused-error.js';
import type { CommandEngine, Decision } from './command-engine.js';
import { assertEventsFit } from './event-size-limit.js';
import { idempotencyFingerprint } from './idempotency-fingerprint.js';

/** One command as a host receives it, for an instance the host has loaded. */
export interface PipelineCommand<A extends Aggregate<any>> {
  readonly instance: A;
  readonly aggregateId: string;
  readonly command: string;
  readonly input: unknown;
  readonly options: ExecuteOptions;
  readonly now: number;
  /** Names the stream in a `CONCURRENCY_CONFLICT` message, e.g. `User ada`. */
  readonly streamName: string;
}

/** What the pipeline hands a host to store: the decision, its result and the idempotency record, if any. */
export interface PipelineCommit<A extends Aggregate<any> = Aggregate<any>> {
  readonly command: PipelineCommand<A>;
  readonly decision: Decision;
  readonly result: CommandResult;
  /** Present when the command carries an idempotency key: store it with the result. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string };
}

/**
 * The small part of a command's path each host provides (its storage); the
 * pipeline does the rest the same way everywhere.
 */
export interface CommandPipelinePort {
  /** The largest event (its JSON envelope, in bytes) the host can store and deliver. */
  readonly maxEventBytes: number;
  /** Whether the host's events go through Queues (named in the `EVENT_TOO_LARGE` message). */
  readonly publishesToQueues: boolean;
  /** The result an idempotency key already stands for, with the fingerprint it was stored with (`null`: unknown). */
  findIdempotentResult(
    key: string,
    now: number,
  ): { readonly fingerprint: string | null; readonly result: CommandResult } | null | undefined;
  /** Stores the decision atomically (events, idempotency record…); throws to store nothing. */
  commit(commit: PipelineCommit<any>): void | Promise<void>;
}

/**
 * Runs one command through every host's steps: idempotency lookup →
 * expected version → decide → event-size check → commit → result. The host
 * keeps what is its own (loading the instance, serialising commands,
 * delivering events after the commit) and stores through its
 * {@link CommandPipelinePort}.
 */
export async function runCommandPipeline<A extends Aggregate<any>>(
  engine: CommandEngine<A>,
  command: PipelineCommand<A>,
  port: CommandPipelinePort,
): Promise<CommandResult> {
  const { options, now } = command;
  const key = options.idempotencyKey;
  const fingerprint = key === undefined ? undefined : await idempotencyFingerprint(command.command, command.input);
  if (key !== undefined) {
    const earlier = port.findIdempotentResult(key, now);
    if (earlier) {
      if (earlier.fingerprint !== null && earlier.fingerprint !== fingerprint)
        throw IdempotencyKeyReusedError.forKey(key);
      return earlier.result;
    }
  }
  const { version } = engine.stateOf(command.instance);
  if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
    throw ConcurrencyError.between(options.expectedVersion, version, command.streamName);
  }
  const decision = await engine.decide(command.instance, command.command, command.input, {
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
    ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
    ...(key === undefined ? {} : { idempotencyKey: key }),
    ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
    ...(options.principal === undefined ? {} : { principal: options.principal }),
    now,
  });
  assertEventsFit(decision.events, port.maxEventBytes, port.publishesToQueues);
  const result: CommandResult = {
    aggregateType: engine.type,
    aggregateId: command.aggregateId,
    version: decision.version,
    events: decision.events,
  };
  await port.commit({
    command,
    decision,
    result,
    ...(key === undefined ? {} : { idempotency: { key, fingerprint: fingerprint! } }),
  });
  return result;
}
