import type { SystemModel, WorkerModel } from '../model/system-model.js';

/** A binding that can only be deployed once the worker it points at exists. */
export interface WorkerDependency {
  /** The worker that must exist first (its deployed name). */
  readonly on: string;
  /** The binding in the dependent worker's wrangler.jsonc. */
  readonly binding: string;
  /** Service bindings live in `services`; cross-worker Durable Objects in `durable_objects.bindings` (with `script_name`). */
  readonly via: 'service' | 'durable-object';
}

/** One worker as the deploy order sees it. */
export interface DeployNode {
  readonly workerName: string;
  readonly kind: WorkerModel['kind'];
  readonly dependencies: readonly WorkerDependency[];
}

/**
 * The bindings that make one worker need another, read from the same model
 * the generator writes bindings from: an API worker calls its projections and
 * processes with direct delivery (`delivery: 'sync'`), `calls` are service
 * bindings, `commands` bind another worker's Durable Objects. Queues are not
 * edges: producers and consumers only need the queue itself.
 */
export function deployNodes(system: SystemModel): DeployNode[] {
  const workerOfReactor = (name: string) => system.workers.find((w) => w.reactor?.name === name)!;
  return system.workers.map((worker) => {
    const dependencies: WorkerDependency[] = [];
    const add = (dependency: WorkerDependency) => {
      if (dependency.on === worker.workerName) return; // its own Durable Objects or itself
      if (!dependencies.some((d) => d.binding === dependency.binding)) dependencies.push(dependency);
    };
    if (worker.kind === 'api') {
      for (const reactor of system.reactors) {
        if (reactor.delivery === 'sync')
          add({ on: workerOfReactor(reactor.name).workerName, binding: reactor.serviceBinding, via: 'service' });
      }
    }
    for (const called of worker.calls)
      add({ on: workerOfReactor(called.name).workerName, binding: called.serviceBinding, via: 'service' });
    for (const { aggregate, scriptName } of worker.commands)
      add({ on: scriptName, binding: aggregate.binding, via: 'durable-object' });
    return { workerName: worker.workerName, kind: worker.kind, dependencies };
  });
}
