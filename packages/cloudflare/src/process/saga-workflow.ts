import type { WorkflowStep, WorkflowStepConfig } from 'cloudflare:workers';
import type { EventEnvelope } from '@escf/core';
import {
  carrierOf,
  currentTraceCarrier,
  EscfAttribute,
  inSpan,
  SpanKind,
  type TraceCarrier,
  tracingEnabled,
  type WaitUntil,
} from '@escf/core/internal';

/**
 * The Workflow param that carries the trace context of the event that
 * started a saga (tracing on, object params only): `{ traceparent, tracestate? }`.
 */
export const SAGA_TRACE_PARAM = 'escfTrace';

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
 * the existing instance is returned instead. With tracing on, object params
 * also carry the active trace context (the process span handling the
 * starting event) as `escfTrace`, so that `runSaga`'s steps continue it.
 */
export async function startWorkflowOnce<Params>(
  workflow: Workflow<Params>,
  id: string,
  params: Params,
): Promise<WorkflowInstance> {
  try {
    return await workflow.create({ id, params: withSagaTrace(params) });
  } catch (error) {
    if (!String((error as Error)?.message ?? error).includes('already_exists')) throw error;
    return workflow.get(id);
  }
}

/** `params` with the active trace context added (tracing on, plain object params); otherwise unchanged. */
function withSagaTrace<Params>(params: Params): Params {
  if (!tracingEnabled() || params === null || typeof params !== 'object' || Array.isArray(params)) return params;
  const carrier = currentTraceCarrier();
  return carrier ? ({ ...params, [SAGA_TRACE_PARAM]: carrier } as Params) : params;
}

/** What {@link runSaga} needs to trace a saga's steps: the Workflow's event and context. */
export interface SagaTracing {
  /** The event `run(event, step)` got: its params carry the starting event's trace context (see {@link startWorkflowOnce}). */
  readonly event: { readonly payload: unknown; readonly instanceId: string; readonly workflowName?: string };
  /** The Workflow's `this.ctx`: step spans are exported in its background. */
  readonly ctx?: WaitUntil;
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
  private readonly trace: { readonly parent: TraceCarrier | null; readonly tracing: SagaTracing } | undefined;

  constructor(
    private readonly workflowStep: WorkflowStep,
    tracing?: SagaTracing,
  ) {
    if (tracing && tracingEnabled()) {
      const params = tracing.event.payload as Record<string, unknown> | null | undefined;
      this.trace = { parent: carrierOf(params?.[SAGA_TRACE_PARAM]) ?? null, tracing };
    }
  }

  /** Runs `action` as a durable step; `compensate` (given its result) undoes it if the saga fails later. */
  async step<T extends Rpc.Serializable<T>>(
    name: string,
    action: () => Promise<T>,
    compensate?: (result: T) => Promise<unknown>,
    config?: WorkflowStepConfig,
  ): Promise<T> {
    const run = this.traced(name, 'escf.saga.step', action);
    const result = (await (config ? this.workflowStep.do(name, config, run) : this.workflowStep.do(name, run))) as T;
    if (compensate)
      this.undo.push({ name: `compensate: ${name}`, run: async () => (await compensate(result)) ?? null });
    return result;
  }

  /** Runs the compensations registered so far, newest first; returns their step names. */
  async compensate(): Promise<string[]> {
    const names: string[] = [];
    for (const { name, run } of [...this.undo].reverse()) {
      await this.workflowStep.do(
        name,
        this.traced(name, 'escf.saga.compensate', async () => (await run()) as Rpc.Serializable<unknown>),
      );
      names.push(name);
    }
    this.undo.length = 0;
    return names;
  }

  /**
   * A step's callback that runs `action` in a span (tracing on): a child of
   * the span that started the saga, so the commands it sends join that
   * trace. Inside the callback, so a step replayed from its stored result
   * (the Workflow resumed) makes no span; a retried attempt makes its own.
   */
  private traced<T>(
    name: string,
    kind: 'escf.saga.step' | 'escf.saga.compensate',
    action: () => Promise<T>,
  ): (ctx?: { readonly attempt?: number }) => Promise<T> {
    const trace = this.trace;
    if (!trace) return action;
    const { event, ctx } = trace.tracing;
    const saga = event.workflowName ?? event.instanceId;
    return (stepContext) =>
      inSpan(
        `${kind} ${name}`,
        {
          kind: SpanKind.INTERNAL,
          parent: trace.parent,
          attributes: {
            [EscfAttribute.saga]: saga,
            [EscfAttribute.sagaInstance]: event.instanceId,
            [EscfAttribute.sagaStep]: name,
            ...(typeof stepContext?.attempt === 'number' ? { [EscfAttribute.attempt]: stepContext.attempt } : {}),
          },
          ...(ctx ? { flush: ctx } : {}),
        },
        () => action(),
      );
  }
}

/**
 * Runs a saga body inside `WorkflowEntrypoint.run`: completes with its
 * output, or — when a step throws after its retries — compensates and
 * reports what was undone. Given `{ event, ctx: this.ctx }` and tracing on
 * in the worker, each step (and compensation) is a span in the trace of the
 * event that started the saga.
 *
 * @example
 * ```ts
 * async run(event: WorkflowEvent<Order>, step: WorkflowStep) {
 *   return runSaga(step, async (saga) => {
 *     const payment = await saga.step('charge', () => payments.charge(order), (p) => payments.refund(p.id));
 *     await saga.step('ship', () => shipping.ship(order));
 *     return { payment };
 *   }, { event, ctx: this.ctx });
 * }
 * ```
 */
export async function runSaga<T>(
  workflowStep: WorkflowStep,
  body: (saga: Saga) => Promise<T>,
  tracing?: SagaTracing,
): Promise<SagaOutcome<T>> {
  const saga = new Saga(workflowStep, tracing);
  try {
    return { status: 'completed', output: await body(saga) };
  } catch (error) {
    const compensated = await saga.compensate();
    return { status: 'compensated', error: String((error as Error)?.message ?? error), compensated };
  }
}
