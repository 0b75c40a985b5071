import { defineEvent, type PayloadOf, streamFold, upcast } from '@escf/core';
import { z } from 'zod';

const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');
const amount = z.number().int().positive().max(1_000_000_000);
/** Why money moved: a transfer's id, a reversal, or what the customer typed. */
const reference = z.string().min(1).max(100);

export const AccountOpened = defineEvent('AccountOpened', z.object({ owner: z.string().min(1).max(100), currency }));
export type AccountOpened = PayloadOf<typeof AccountOpened>;

export const AccountActivated = defineEvent('AccountActivated', z.object({}));

/**
 * Version 2 carries the currency; version 1 (stored by the first release)
 * held only the amount, which was always in the account's currency. The
 * lens reads that currency from the stream's AccountOpened.
 */
export const Deposited = defineEvent('Deposited', z.object({ amount, currency, reference }), {
  version: 2,
  upcast: upcast<{ amount: number; reference: string }>()
    .withStream(streamFold({ currency: 'EUR' }).on(AccountOpened, (_, opened) => ({ currency: opened.currency })))
    .lens<{ amount: number; currency: string; reference: string }>((v1, { stream }) => ({
      ...v1,
      currency: stream.currency,
    })),
});
export type Deposited = PayloadOf<typeof Deposited>;

export const Withdrawn = defineEvent('Withdrawn', z.object({ amount, reference }));
export type Withdrawn = PayloadOf<typeof Withdrawn>;

export const AccountFrozen = defineEvent('AccountFrozen', z.object({ reason: z.string().min(1).max(200) }));
export type AccountFrozen = PayloadOf<typeof AccountFrozen>;

export const AccountUnfrozen = defineEvent('AccountUnfrozen', z.object({}));
export const AccountClosed = defineEvent('AccountClosed', z.object({}));

/** A compliance flag, raised by the large-withdrawals process. */
export const LargeWithdrawalFlagged = defineEvent('LargeWithdrawalFlagged', z.object({ amount, reference }));
export type LargeWithdrawalFlagged = PayloadOf<typeof LargeWithdrawalFlagged>;
