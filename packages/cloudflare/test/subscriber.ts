// An auxiliary worker standing in for a projection: a WorkerEntrypoint with
// `deliver(events)`, reached through a service binding (synchronous RPC).
import { WorkerEntrypoint } from 'cloudflare:workers';

type Received = {
  id: string;
  version: number;
  aggregateId: string;
  position?: number;
  type?: string;
  payload?: unknown;
  metadata?: Record<string, unknown>;
};
const received: Received[] = [];
let failuresToInject = 0;

export class Subscriber extends WorkerEntrypoint {
  async deliver(events: Received[]): Promise<{ received: number }> {
    if (failuresToInject > 0) {
      failuresToInject -= 1;
      throw new Error('subscriber unavailable (injected)');
    }
    received.push(
      ...events.map(({ id, version, aggregateId, position, type, payload, metadata }) => ({
        id,
        version,
        aggregateId,
        type,
        payload,
        metadata,
        ...(position === undefined ? {} : { position }),
      })),
    );
    return { received: events.length };
  }

  async received(): Promise<typeof received> {
    return received;
  }

  async failNext(times: number): Promise<void> {
    failuresToInject = times;
  }
}

/** A subscriber that is down for good: every delivery to it fails. */
export class AlwaysFailingSubscriber extends WorkerEntrypoint {
  async deliver(): Promise<never> {
    throw new Error('subscriber is down for good');
  }
}

export default Subscriber;
