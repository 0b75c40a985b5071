/** One step a {@link TestWorkflowStep} ran. */
export interface RecordedStep {
  readonly name: string;
  readonly result?: unknown;
  readonly error?: string;
}

/**
 * A Workflow `step` for saga tests in plain Node: `do()` runs the callback
 * (its result is recorded), and the steps named in `fail` throw, as a step
 * does once its retries are exhausted. Hand it to `runSaga` (from
 * `@escf/cloudflare/delivery`) to test step results and compensation
 * without workerd.
 *
 * @example
 * ```ts
 * // given: transfer (the saga under test), params, deps
 * const step = new TestWorkflowStep({ fail: ['credit target'] });
 * const outcome = await runSaga(step.asWorkflowStep(), (saga) => transfer(saga, params, deps));
 * expect(outcome.status).toBe('compensated');
 * expect(step.names()).toEqual(['debit source', 'credit target', 'compensate: debit source']);
 * ```
 */
export class TestWorkflowStep {
  readonly steps: RecordedStep[] = [];
  private readonly failing: ReadonlySet<string>;

  constructor(options: { readonly fail?: readonly string[] } = {}) {
    this.failing = new Set(options.fail ?? []);
  }

  /** Runs a step: `do(name, callback)` or `do(name, config, callback)`. */
  async do<T>(name: string, configOrCallback: unknown, maybeCallback?: () => Promise<T>): Promise<T> {
    const callback = (typeof configOrCallback === 'function' ? configOrCallback : maybeCallback) as () => Promise<T>;
    if (this.failing.has(name)) {
      const error = `step '${name}' failed (TestWorkflowStep)`;
      this.steps.push({ name, error });
      throw new Error(error);
    }
    try {
      // A step's result is persisted as JSON: what the next run would see.
      const result = JSON.parse(JSON.stringify((await callback()) ?? null)) as T;
      this.steps.push({ name, result });
      return result;
    } catch (error) {
      this.steps.push({ name, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  async sleep(name: string): Promise<void> {
    this.steps.push({ name });
  }

  async sleepUntil(name: string): Promise<void> {
    this.steps.push({ name });
  }

  /** The names of the steps run so far, in order. */
  names(): string[] {
    return this.steps.map((s) => s.name);
  }

  /** Typed as the platform's `WorkflowStep`, for `runSaga` and workflow code. */
  asWorkflowStep(): WorkflowStep {
    return this as unknown as WorkflowStep;
  }
}

type WorkflowStep = import('cloudflare:workers').WorkflowStep;
