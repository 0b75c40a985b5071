import { Aggregate, Command, Conflict, DomainError, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { z } from 'zod';

const request = z
  .object({
    from: z.string().min(1).max(100),
    to: z.string().min(1).max(100),
    amount: z.number().int().positive().max(1_000_000_000),
  })
  .refine((t) => t.from !== t.to, { message: 'from and to must differ', path: ['to'] });

export const TransferRequested = defineEvent(
  'TransferRequested',
  z.object({ from: z.string(), to: z.string(), amount: z.number().int().positive() }),
);
export type TransferRequested = PayloadOf<typeof TransferRequested>;
export const TransferCompleted = defineEvent('TransferCompleted', z.object({}));
export const TransferFailed = defineEvent(
  'TransferFailed',
  z.object({ reason: z.string(), compensated: z.array(z.string()) }),
);
export type TransferFailed = PayloadOf<typeof TransferFailed>;

export type TransferState =
  | { readonly status: 'none' }
  | { readonly status: 'requested'; readonly from: string; readonly to: string; readonly amount: number }
  | { readonly status: 'completed'; readonly from: string; readonly to: string; readonly amount: number }
  | {
      readonly status: 'failed';
      readonly from: string;
      readonly to: string;
      readonly amount: number;
      readonly reason: string;
      readonly compensated: readonly string[];
    };

/**
 * A money transfer between two accounts. Two aggregates cannot change in
 * one transaction, so the transfer is its own aggregate — the record of the
 * request and its outcome — and a saga (transfers worker) moves the money:
 * debit the source, credit the target, and credit the source back if the
 * second leg fails.
 */
export class Transfer extends Aggregate<TransferState> {
  static readonly type = 'Transfer';

  protected initialState(): TransferState {
    return { status: 'none' };
  }

  @Command(request, { emits: [TransferRequested] })
  request(input: { from: string; to: string; amount: number }) {
    if (this.state.status !== 'none') throw new Conflict('Transfer already requested');
    return new TransferRequested(input);
  }

  @Command(z.object({}), { emits: [TransferCompleted] })
  complete() {
    if (this.state.status === 'completed') return [];
    if (this.state.status !== 'requested')
      throw new DomainError(`The transfer is ${this.state.status}`, { code: 'TRANSFER_NOT_RUNNING' });
    return new TransferCompleted({});
  }

  @Command(z.object({ reason: z.string(), compensated: z.array(z.string()) }), { emits: [TransferFailed] })
  fail(input: { reason: string; compensated: string[] }) {
    if (this.state.status === 'failed') return [];
    if (this.state.status !== 'requested')
      throw new DomainError(`The transfer is ${this.state.status}`, { code: 'TRANSFER_NOT_RUNNING' });
    return new TransferFailed(input);
  }

  @EventHandler(TransferRequested)
  protected requested(e: TransferRequested): TransferState {
    return { status: 'requested', ...e };
  }

  @EventHandler(TransferCompleted)
  protected completed(): TransferState {
    const s = this.state as Extract<TransferState, { status: 'requested' }>;
    return { ...s, status: 'completed' };
  }

  @EventHandler(TransferFailed)
  protected failed(e: TransferFailed): TransferState {
    const s = this.state as Extract<TransferState, { status: 'requested' }>;
    return { ...s, status: 'failed', reason: e.reason, compensated: e.compensated };
  }
}
