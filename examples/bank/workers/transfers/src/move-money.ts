import type { Saga } from '@escf/cloudflare';

/** What a transfer saga needs to know. */
export interface TransferParams {
  readonly transferId: string;
  readonly from: string;
  readonly to: string;
  readonly amount: number;
}

/** The two legs, as commands on accounts; each call carries its own idempotency key. */
export interface AccountLegs {
  withdraw(accountId: string, amount: number, reference: string, idempotencyKey: string): Promise<{ version: number }>;
  deposit(accountId: string, amount: number, reference: string, idempotencyKey: string): Promise<{ version: number }>;
}

/** A failing leg is retried once, quickly: a domain error (a frozen account…) will not heal by waiting. */
const LEG = { retries: { limit: 1, delay: 10, backoff: 'constant' as const } };

/**
 * The money-moving part of a transfer, as durable saga steps: debit the
 * source, then credit the target. If the credit fails for good, the debit
 * is compensated by crediting the source back. Every command's idempotency
 * key is derived from the transfer and the leg, so a step that re-runs after
 * a crash never moves money twice. Plain code on `Saga`: tested in Node with
 * `TestWorkflowStep`, run on Cloudflare Workflows by TransferSaga.
 */
export async function moveMoney(
  saga: Saga,
  t: TransferParams,
  legs: AccountLegs,
): Promise<{ debited: number; credited: number }> {
  const debit = await saga.step(
    'debit source',
    () => legs.withdraw(t.from, t.amount, `transfer ${t.transferId} to ${t.to}`, `${t.transferId}:debit`),
    () => legs.deposit(t.from, t.amount, `reversal of transfer ${t.transferId}`, `${t.transferId}:reversal`),
    LEG,
  );
  const credit = await saga.step(
    'credit target',
    () => legs.deposit(t.to, t.amount, `transfer ${t.transferId} from ${t.from}`, `${t.transferId}:credit`),
    undefined,
    LEG,
  );
  return { debited: debit.version, credited: credit.version };
}
