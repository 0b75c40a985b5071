import { ProcessDelivery, type ProcessOrdering } from '@escf/cloudflare/delivery';
import {
  type Clock,
  type CommandResult,
  type CommandSender,
  type EventEnvelope,
  processCommandsFor,
  systemClock,
} from '@escf/core';
import { describeProcess } from '@escf/core/internal';
import { Upcaster } from '@escf/core/upcast';
import { expect } from 'vitest';
import { type GivenEvent, type StreamEvents, storeGivenEvents } from './given-events.js';
import type { InMemoryAggregates } from './in-memory-aggregates.js';
import { sqliteD1Database } from './sqlite-d1-database.js';

/** Options of {@link processScenario}. */
export interface ProcessScenarioOptions<Effects, Env> {
  /** The effects handlers receive: fakes the test supplies (e.g. `vi.fn()`s). Every call is also recorded in `effects`. */
  readonly effects?: Effects;
  /** Where commands go: an in-memory host the test seeded, so commands run for real; default: recorded, answered with an empty result. */
  readonly aggregates?: InMemoryAggregates;
  /** As in `processEntrypoint`; default `'none'`. */
  readonly ordering?: ProcessOrdering;
  readonly env?: Env;
  /** The time claims are stamped with; default the system clock. */
  readonly clock?: Clock;
  /**
   * The database of claims and checkpoints: default a fresh in-memory SQLite
   * per scenario (plain Node); in workerd pass a D1 binding.
   */
  readonly database?: () => D1Database | Promise<D1Database>;
}

/** A command a process sent, with the ids ESCF derived from the triggering event. */
export interface SentCommand {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly tenantId?: string;
  readonly command: string;
  readonly input: unknown;
  readonly idempotencyKey: string | undefined;
  readonly correlationId: string | undefined;
  readonly causationId: string | undefined;
}

/** An effect a process called. */
export interface CalledEffect {
  readonly name: string;
  readonly args: readonly unknown[];
}

/** What a process scenario hands its checks. */
export interface ProcessScenarioResult {
  /** The delivered events as stored in the log, with positions. */
  readonly events: readonly EventEnvelope[];
  readonly commands: readonly SentCommand[];
  readonly effects: readonly CalledEffect[];
}

/**
 * Given events → then the commands a process sends (with idempotency keys
 * and causation) and the effects it calls, on the real delivery runtime
 * (`@escf/cloudflare/delivery`: claims by event id, optional per-stream
 * order) over a real SQLite database. **Checked for free**: a redelivery of
 * every event runs nothing twice (no command, no effect).
 *
 * @example
 * ```ts
 * const flagging = processScenario(FlagLargeWithdrawals, { effects: { flag: vi.fn(async () => {}) } });
 * await flagging.when(inStream(Account, 'a1', new Withdrawn({ amount: 20_000 }))).thenEffects({ name: 'flag', args: ['a1', 20_000] });
 * ```
 */
export function processScenario<P extends object, Effects extends object = any, Env = any>(
  processClass: new (env: Env) => P,
  options: ProcessScenarioOptions<Effects, Env> = {},
) {
  const descriptor = describeProcess(processClass);
  const upcaster = new Upcaster(descriptor.events);
  return {
    /** Delivers these events (in log order) to the process, then once more. */
    when(...given: Array<GivenEvent | StreamEvents | EventEnvelope>) {
      return new ProcessThen(async () => {
        const clock = options.clock ?? systemClock;
        const db = options.database ? await options.database() : await sqliteD1Database();
        const { store, events } = await storeGivenEvents(given, () => clock.now());
        const commands: SentCommand[] = [];
        const effects: CalledEffect[] = [];
        const sender: CommandSender = async (target, command, input, executeOptions): Promise<CommandResult> => {
          const type = (target.aggregateClass as unknown as { type: string }).type;
          commands.push({
            aggregateType: type,
            aggregateId: target.aggregateId,
            ...(target.tenantId === undefined ? {} : { tenantId: target.tenantId }),
            command,
            input,
            idempotencyKey: executeOptions.idempotencyKey,
            correlationId: executeOptions.correlationId,
            causationId: executeOptions.causationId,
          });
          if (options.aggregates)
            return options.aggregates.execute(
              target.aggregateClass,
              target.aggregateId,
              target.tenantId,
              command,
              input,
              executeOptions,
            );
          return { aggregateType: type, aggregateId: target.aggregateId, version: 0, events: [] };
        };
        const recorded = recordCalls(options.effects ?? ({} as Effects), effects);
        const instance = new processClass(options.env as Env);
        const delivery = new ProcessDelivery(
          descriptor,
          upcaster,
          db,
          () => store,
          options.ordering ?? 'none',
          60_000,
          () => clock.now(),
          (member, envelope, trigger) => {
            const method = (instance as Record<string | symbol, (e: EventEnvelope, context: unknown) => unknown>)[
              member
            ]!;
            return Promise.resolve(
              method.call(instance, envelope, {
                effects: recorded,
                commands: processCommandsFor(sender, descriptor.name, trigger),
                env: options.env,
              }),
            );
          },
        );
        await delivery.deliverAll(events);
        const sent = commands.length;
        const called = effects.length;
        expect((await delivery.deliverAll(events)).handled, 'a redelivery must find every event handled').toBe(0);
        expect(commands.length, 'a redelivery must send no command').toBe(sent);
        expect(effects.length, 'a redelivery must call no effect').toBe(called);
        return { events, commands, effects };
      });
    },
  };
}

/** The assertions of a process scenario; each runs the scenario afresh. */
export class ProcessThen {
  constructor(private readonly run: () => Promise<ProcessScenarioResult>) {}

  // biome-ignore lint/suspicious/noThenProperty: a scenario is awaited to run it, by design
  async then(check: (result: ProcessScenarioResult) => unknown): Promise<ProcessScenarioResult> {
    const result = await this.run();
    await check(result);
    return result;
  }

  /**
   * Expects exactly these commands, in order. Each is compared with
   * `toMatchObject`: give what matters (`aggregateId`, `command`, `input`…);
   * `idempotencyKey` and `causationId` are checked against the triggering
   * event unless given.
   */
  async thenCommands(...expected: Array<Partial<SentCommand>>): Promise<ProcessScenarioResult> {
    return this.then(({ commands, events }) => {
      expect(commands).toHaveLength(expected.length);
      commands.forEach((command, index) => {
        expect(command).toMatchObject(expected[index]!);
        const trigger = events.find((e) => e.id === command.causationId);
        expect(trigger, `command ${command.command} must name its triggering event as causation`).toBeDefined();
        expect(command.idempotencyKey).toMatch(new RegExp(`:${trigger!.id}:\\d+$`));
      });
    });
  }

  /** Expects exactly these effect calls, in order (`toEqual`, so matchers work). */
  async thenEffects(...expected: CalledEffect[]): Promise<ProcessScenarioResult> {
    return this.then(({ effects }) => expect(effects).toEqual(expected));
  }

  /** Expects no command and no effect. */
  async thenNothing(): Promise<ProcessScenarioResult> {
    return this.then(({ effects, commands }) => {
      expect(commands).toEqual([]);
      expect(effects).toEqual([]);
    });
  }
}

/** Wraps an effects object so that every method call is recorded, then forwarded. */
function recordCalls<Effects extends object>(effects: Effects, calls: CalledEffect[]): Effects {
  return new Proxy(effects, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push({ name, args });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
