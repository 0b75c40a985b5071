// A process that asks for per-stream ordering: an effect per Counted event,
// and a Poked handler that fails while its aggregate is in `poison`.
import { type Envelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { Counted, type Counted as CountedPayload, Poked } from './counter-domain.js';
import type { NotifierEffects } from './notifier-process.js';

export interface OrderedNotifierEffects extends NotifierEffects {
  isPoisoned(target: string): Promise<boolean>;
}

type Context = ProcessHandlerContext<OrderedNotifierEffects>;

@Process('ordered-notifier')
export class OrderedNotifier {
  @EventHandler(Counted)
  async onCounted(e: Envelope<CountedPayload>, { effects }: Context) {
    await effects.notify(e.aggregateId, `counted ${e.payload.by} at v${e.version}`);
  }

  @EventHandler(Poked)
  async onPoked(e: Envelope, { effects }: Context) {
    if (await effects.isPoisoned(e.aggregateId)) throw new Error(`poisoned: ${e.aggregateId}`);
    await effects.notify(e.aggregateId, `poked at v${e.version}`);
  }
}
