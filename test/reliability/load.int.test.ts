// Load for a bounded time: many clients, many aggregates, one hot aggregate
// taking most commands. Every accepted command's event must then be in the
// object's SQLite, in D1 and in the ledger exactly once.
import { afterAll, expect, it } from 'vitest';
import { expectConverged } from './convergence.js';
import { Figures } from './figures.js';
import { accounts, testEnv, uniqueId } from './helpers.js';

const figures = new Figures('load');
afterAll(() => figures.print());

const DURATION_MS = 8_000;
const CLIENTS = 16;
const AGGREGATES = 20;
const HOT_SHARE = 0.6;

it(`${CLIENTS} clients × ${AGGREGATES} aggregates (${HOT_SHARE * 100}% on one) for ${DURATION_MS / 1000} s: every accepted event exactly once everywhere`, async () => {
  const tenantId = uniqueId('load');
  const ids = Array.from({ length: AGGREGATES }, (_, i) => `acct-${i}`);
  const acceptedPer = new Map<string, number>();
  const unexpected: string[] = [];
  let tried = 0;
  let rejected = 0;
  const deadline = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < deadline) {
        const id = Math.random() < HOT_SHARE ? ids[0]! : ids[1 + Math.floor(Math.random() * (AGGREGATES - 1))]!;
        tried++;
        try {
          await accounts(testEnv, { tenantId }).account(id).deposit({ amount: 1, memo: '' });
          acceptedPer.set(id, (acceptedPer.get(id) ?? 0) + 1);
        } catch (error) {
          rejected++;
          // Overload would be the only expected refusal; anything else is a finding.
          if ((error as { code?: string }).code !== 'OVERLOADED') unexpected.push(String(error));
        }
      }
    }),
  );
  let events = 0;
  let lost = 0;
  let duplicated = 0;
  for (const [id, accepted] of acceptedPer) {
    const seen = await expectConverged({ tenantId, aggregateId: id }, accepted, 60_000);
    events += seen.events;
    lost += seen.lost;
    duplicated += seen.duplicated;
  }
  figures.add({
    scenario: `load, hot aggregate ${acceptedPer.get(ids[0]!) ?? 0} events`,
    tried,
    accepted: tried - rejected,
    rejected,
    eventsVerified: events,
    lost,
    duplicated,
    unexpectedErrors: unexpected.length,
  });
  expect(unexpected).toEqual([]);
  expect(events).toBe(tried - rejected);
}, 120_000);
