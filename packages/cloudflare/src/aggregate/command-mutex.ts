/**
 * Runs async tasks one at a time, in arrival order. The engine is async (a
 * command may await Web Crypto), and a Durable Object's input gate only
 * protects storage calls, not arbitrary awaits: without this, two commands
 * could decide against the same state and one would be lost.
 */
export class CommandMutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // A failed task must not poison the queue for the next one.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
