// The process under test: an effect per Counted event, a command for big
// counts, and HTTP, queue and cron triggers.
import { type Envelope, EventHandler, OnCron, OnHttp, OnQueue, Process, type ProcessHandlerContext } from '@escf/core';
import { Counted, type Counted as CountedPayload, Counter } from './counter-domain.js';

export interface NotifierEffects {
  notify(target: string, detail: string): Promise<void>;
}

type Context = ProcessHandlerContext<NotifierEffects>;

@Process('notifier')
export class Notifier {
  @EventHandler(Counted)
  async onCounted(e: Envelope<CountedPayload>, { effects, commands }: Context) {
    await effects.notify(e.aggregateId, `counted ${e.payload.by} at v${e.version}`);
    if (e.payload.by >= 100)
      await commands.to(Counter, `audit-${e.aggregateId}`).record({ from: e.aggregateId, by: e.payload.by });
  }

  @OnHttp('POST', '/count')
  async count(request: Request, { commands }: Context) {
    const { id, by } = (await request.json()) as { id: string; by: number };
    const result = await commands.to(Counter, id).count({ by });
    return { version: result.version };
  }

  @OnQueue('notifier-inbox')
  async inbox(body: { to: string }, { effects }: Context) {
    await effects.notify(body.to, 'inbox');
  }

  @OnCron('*/5 * * * *')
  async sweep(controller: ScheduledController, { effects }: Context) {
    await effects.notify('cron', String(controller.scheduledTime));
  }
}
