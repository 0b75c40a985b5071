import type { WorkflowStep, WorkflowStepConfig } from 'cloudflare:workers';
import type { EventEnvelope } from '@escf/core';

/**
 * The Workflow instance id of the saga an event starts: derived from the
 * process name and the event id, so a redelivered event addresses the same
 * instance. Workflow ids allow up to 100 characters.
 */
export function sagaInstanceId(processName: string, event: Pick<EventEnvelope, 'id'>): string {
  return `${processName}-${event.id}`.slice(0, 100);
}

/**
 * Starts a Workflow instance once: a second `create` with the same id throws
 * `instance.already_exists`, which means the saga is already under way, so
 * the existing instance is returned instead.
 */
export async function startWorkflowOnce<Params>(
  workflow: Workflow<Params>,
  id: string,
  params: Params,
): Promise<WorkflowInstance> {
  try {
    return await workflow.create({ id, params });
  } catch (error) {
    if (!String((error as Error)?.message ?? error).includes('already_exists')) throw error;
    return workflow.get(id);
  }
}

/** How a saga ended. */
export type SagaOutcome<T> =
  | { readonly status: 'completed'; readonly output: T }
  | { readonly status: 'compensated'; readonly error: string; readonly compensated: readonly string[] };

/**
 * Durable steps with compensation, on top of a Workflow's `step`. Each
 * `step()` runs as a Workflow step (retried, its result persisted); when a
 * later step fails for good, the compensations of the steps that succeeded
 * run in reverse order, each as a durable step of its own.
 */
export class Saga {
  private readonly undo: Array<{ readonly name: string; readonly run: () => Promise<unknown> }> = [];

  constructor(private readonly workflowStep: WorkflowStep) {}

  /** Runs `action` as a durable step; `compensate` (given its result) undoes it if the saga fails later. */
  async step<T extends Rpc.Serializable<T>>(
    name: string,
    action: () => Promise<T>,
    compensate?: (result: T) => Promise<unknown>,
    config?: WorkflowStepConfig,
  ): Promise<T> {
    const result = (await (config
      ? this.workflowStep.do(name, config, action)
      : this.workflowStep.do(name, action))) as T;
    if (compensate)
      this.undo.push({ name: `compensate: ${name}`, run: async () => (await compensate(result)) ?? null });
    return result;
  }

  /** Runs the compensations registered so far, newest first; returns their step names. */
  async compensate(): Promise<string[]> {
    const names: string[] = [];
    for (const { name, run } of [...this.undo].reverse()) {
      await this.workflowStep.do(name, async () => (await run()) as Rpc.Serializable<unknown>);
      names.push(name);
    }
    this.undo.length = 0;
    return names;
  }
}

/**
 * Runs a saga body inside `WorkflowEntrypoint.run`: completes with its
 * output, or — when a step throws after its retries — compensates and
 * reports what was undone.
 *
 * @example
 * ```ts
 * async run(event: WorkflowEvent<Order>, step: WorkflowStep) {
 *   return runSaga(step, async (saga) => {
 *     const payment = await saga.step('charge', () => payments.charge(order), (p) => payments.refund(p.id));
 *     await saga.step('ship', () => shipping.ship(order));
 *     return { payment };
 *   });
 * }
 * ```
 */
export async function runSaga<T>(
  workflowStep: WorkflowStep,
  body: (saga: Saga) => Promise<T>,
): Promise<SagaOutcome<T>> {
  const saga = new Saga(workflowStep);
  try {
    return { status: 'completed', output: await body(saga) };
  } catch (error) {
    const compensated = await saga.compensate();
    return { status: 'compensated', error: String((error as Error)?.message ?? error), compensated };
  }
}
