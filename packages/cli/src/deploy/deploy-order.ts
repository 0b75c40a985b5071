import type { DeployNode, WorkerDependency } from './worker-dependencies.js';

/** One `wrangler deploy` of the plan. */
export interface DeployStep {
  readonly workerName: string;
  /**
   * Set on the first deploy of a worker that closes a cycle: the bindings
   * to workers that may not exist yet. If Cloudflare refuses the full
   * config, the worker is deployed without them and again at the end.
   */
  readonly withoutIfRefused?: readonly WorkerDependency[];
  /** The final deploy of a worker deployed earlier without some bindings. */
  readonly again?: boolean;
}

/**
 * Orders the deploys so that every service binding and cross-worker Durable
 * Object binding points at a worker deployed before it. Workers with no
 * pending dependency go first, in config order. A cycle (an API calling a
 * projection that sends commands to the API's Durable Objects) is broken at
 * one worker: preferably one whose pending bindings are all service bindings
 * (a worker can run without them for a moment: the outbox keeps undelivered
 * events), then an API worker (it owns the Durable Object classes the others
 * bind), then config order. That worker may need a second deploy at the end.
 */
export function deployOrder(nodes: readonly DeployNode[]): DeployStep[] {
  const deployed = new Set<string>();
  const remaining = [...nodes];
  const steps: DeployStep[] = [];
  const again: string[] = [];
  const pending = (node: DeployNode) =>
    node.dependencies.filter((d) => !deployed.has(d.on) && nodes.some((n) => n.workerName === d.on));
  const take = (node: DeployNode, step: DeployStep) => {
    steps.push(step);
    deployed.add(node.workerName);
    remaining.splice(remaining.indexOf(node), 1);
  };
  while (remaining.length > 0) {
    const ready = remaining.filter((node) => pending(node).length === 0);
    if (ready.length > 0) {
      for (const node of ready) take(node, { workerName: node.workerName });
      continue;
    }
    const rank = (node: DeployNode) =>
      (pending(node).every((d) => d.via === 'service') ? 0 : 2) + (node.kind === 'api' ? 0 : 1);
    const breaker = remaining.reduce((best, node) => (rank(node) < rank(best) ? node : best));
    take(breaker, { workerName: breaker.workerName, withoutIfRefused: pending(breaker) });
    again.push(breaker.workerName);
  }
  for (const workerName of again) steps.push({ workerName, again: true });
  return steps;
}
