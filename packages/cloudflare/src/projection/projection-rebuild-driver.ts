import { log, serializeError } from '@escf/core/internal';
import type { EventStore } from '@escf/core/store';
import { beginRebuild, type DatabaseRole, switchActiveDatabase } from './projection-active-database.js';
import { projectionLogHead } from './projection-event-log.js';
import { ProjectionRebuild, REBUILD_WATCHDOG_SECONDS, type RebuildContinuation } from './projection-rebuild.js';
import type { ProjectionSettings } from './projection-settings.js';
import type { ProjectionSides } from './projection-sides.js';
import type { RebuildStatus } from './projection-status.js';
import { backoffSeconds } from './retry-backoff.js';

/** What the driver needs from the entrypoint invocation it runs in. */
export interface RebuildInvocation<Env> {
  readonly env: Env;
  readonly ctx: ExecutionContext;
  readonly store: () => EventStore;
}

/**
 * Carries a projection's rebuild forward: starts it, runs steps, and hands
 * the rest to continuation messages on the projection's own queue (with a
 * watchdog message that resumes a rebuild whose invocation died). For
 * blue/green projections it rebuilds the inactive side and switches it
 * active once caught up.
 */
export class ProjectionRebuildDriver<Env> {
  constructor(
    private readonly settings: ProjectionSettings<Env>,
    private readonly sides: ProjectionSides<object, Env>,
    private readonly invocation: RebuildInvocation<Env>,
  ) {}

  /** The rebuild of one side. */
  rebuilder(role: DatabaseRole = 'primary'): ProjectionRebuild {
    const { descriptor } = this.settings;
    const side = this.sides.side(role);
    // Blue/green: once caught up, the rebuild makes its database the active one.
    const beforeDone = this.sides.blueGreen
      ? (generation: number) => switchActiveDatabase(this.sides.db, descriptor.name, role, generation)
      : undefined;
    return new ProjectionRebuild(
      descriptor,
      side.projection,
      side.db,
      this.invocation.store(),
      this.settings.rebuildBatchSize,
      projectionLogHead(this.settings, this.invocation.env),
      beforeDone,
      this.settings.options.rebuildPagesPerStep,
    );
  }

  /** Empties the read model (the inactive side's, for blue/green) and starts replaying the log into it. */
  async start(): Promise<RebuildStatus> {
    let status: RebuildStatus;
    if (this.sides.blueGreen) {
      // Blue/green: empty and refill the inactive side; its generation is the ticket that may switch.
      const { target, ticket } = await beginRebuild(this.sides.db, this.settings.descriptor.name);
      status = await this.rebuilder(target).start(ticket);
    } else {
      status = await this.rebuilder().start();
    }
    const queue = this.queue();
    if (queue) {
      // The first step starts now, not after a queue hop; the watchdog resumes the rebuild if this invocation dies.
      await queue.send(this.continuation(status, true), { delaySeconds: REBUILD_WATCHDOG_SECONDS });
      this.invocation.ctx.waitUntil(this.runStep({ generation: status.generation, cursor: status.cursor }));
    }
    return status;
  }

  /** Runs one step now. */
  async step(): Promise<RebuildStatus | null> {
    return (await this.rebuilder(await this.sides.rebuilding()).step()).status;
  }

  /** Handles a continuation (or watchdog) message from the projection's queue. */
  async continue(message: Message<RebuildContinuation>): Promise<void> {
    try {
      const { generation, cursor, watchdog } = message.body.escfRebuild;
      const queue = this.queue()!;
      const rebuilder = this.rebuilder(await this.sides.rebuilding());
      let expected: { generation: number; cursor: number } | undefined = { generation, cursor };
      if (watchdog) {
        const current = await rebuilder.status();
        if (current?.status !== 'running' || current.generation !== generation) return message.ack();
        if (Date.now() - current.updatedAt < REBUILD_WATCHDOG_SECONDS * 1000) {
          // Still moving: keep watching.
          await queue.send(this.continuation(current, true), { delaySeconds: REBUILD_WATCHDOG_SECONDS });
          return message.ack();
        }
        expected = { generation, cursor: current.cursor }; // stalled: take over from where it stopped
        await queue.send(this.continuation(current, true), { delaySeconds: REBUILD_WATCHDOG_SECONDS });
      }
      const { status, more } = await rebuilder.step(expected);
      if (more && status) await queue.send(this.continuation(status));
      message.ack();
    } catch (error) {
      log({
        level: 'warn',
        message: 'projection rebuild step failed; retrying',
        code: serializeError(error).code,
        projection: this.settings.descriptor.name,
        attempt: message.attempts,
        error,
      });
      message.retry({ delaySeconds: backoffSeconds(message.attempts, this.settings.options.retryDelaySeconds) });
    }
  }

  /** Runs one step and hands the rest to a continuation message. */
  private async runStep(expected?: { generation: number; cursor: number }): Promise<void> {
    try {
      const { status, more } = await this.rebuilder(await this.sides.rebuilding()).step(expected);
      if (more && status) await this.queue()!.send(this.continuation(status));
    } catch (error) {
      // The queue retries it from the saved cursor, with backoff (and the watchdog, should that fail too).
      log({
        level: 'warn',
        message: 'projection rebuild step failed; retrying',
        code: serializeError(error).code,
        projection: this.settings.descriptor.name,
        error,
      });
      const status = await this.rebuilder(await this.sides.rebuilding()).status();
      if (status?.status === 'running')
        await this.queue()!.send(this.continuation(status), {
          delaySeconds: backoffSeconds(1, this.settings.options.retryDelaySeconds),
        });
    }
  }

  private queue(): Queue<RebuildContinuation> | undefined {
    return (this.invocation.env as Record<string, unknown>)[this.settings.queueBinding] as
      | Queue<RebuildContinuation>
      | undefined;
  }

  private continuation(status: RebuildStatus, watchdog = false): RebuildContinuation {
    return {
      escfRebuild: {
        projection: this.settings.descriptor.name,
        generation: status.generation,
        cursor: status.cursor,
        ...(watchdog ? { watchdog } : {}),
      },
    };
  }
}
