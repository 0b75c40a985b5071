/**
 * Rehydration benchmark: rebuild an aggregate from 10,000 stored events,
 * (a) all at the current version, (b) all at version 1 behind a 3-lens
 * chain, and (c) from a snapshot. Stored rows are JSON text, as in a
 * Durable Object's SQLite, so parsing is part of the measured work.
 * Prints one JSON object of figures.
 */
import { Aggregate, type AggregateClass, Command, defineEvent, EventHandler, type PayloadOf, upcast } from '@escf/core';
import { type ApplicableEvent, engineFor } from '@escf/core/internal';
import { z } from 'zod';

const EVENTS = 10_000;
const ROUNDS = 31;

interface V1 {
  amount: number;
}
interface V2 {
  amountCents: number;
}
interface V3 {
  amountCents: number;
  currency: string;
}
type V4 = { amountCents: number; currency: string; memo: string };

const schema = z.object({ amountCents: z.number().int(), currency: z.string(), memo: z.string() });
const Posted = defineEvent('Posted', schema, {
  version: 4,
  upcast: upcast<V1>()
    .lens<V2>(({ amount }) => ({ amountCents: Math.round(amount * 100) }))
    .lens<V3>((v2) => ({ ...v2, currency: 'EUR' }))
    .lens<V4>((v3) => ({ ...v3, memo: '' })),
});
const PostedPlain = defineEvent('PostedPlain', schema);

interface LedgerState {
  readonly balanceCents: number;
  readonly entries: number;
}

class Ledger extends Aggregate<LedgerState> {
  static readonly type = 'Ledger';
  protected initialState(): LedgerState {
    return { balanceCents: 0, entries: 0 };
  }
  @Command(z.object({}), { emits: [Posted] }) post() {
    return new Posted({ amountCents: 1, currency: 'EUR', memo: '' });
  }
  @EventHandler(Posted)
  protected posted(e: PayloadOf<typeof Posted>): LedgerState {
    return { balanceCents: this.state.balanceCents + e.amountCents, entries: this.state.entries + 1 };
  }
}

class PlainLedger extends Aggregate<LedgerState> {
  static readonly type = 'PlainLedger';
  protected initialState(): LedgerState {
    return { balanceCents: 0, entries: 0 };
  }
  @Command(z.object({}), { emits: [PostedPlain] }) post() {
    return new PostedPlain({ amountCents: 1, currency: 'EUR', memo: '' });
  }
  @EventHandler(PostedPlain)
  protected posted(e: PayloadOf<typeof PostedPlain>): LedgerState {
    return { balanceCents: this.state.balanceCents + e.amountCents, entries: this.state.entries + 1 };
  }
}

interface Row {
  id: string;
  type: string;
  schema_version: number;
  payload: string;
}

const currentRows: Row[] = Array.from({ length: EVENTS }, (_, i) => ({
  id: `e${i}`,
  type: 'PostedPlain',
  schema_version: 1,
  payload: JSON.stringify({ amountCents: i % 100, currency: 'EUR', memo: '' }),
}));
const v1Rows: Row[] = Array.from({ length: EVENTS }, (_, i) => ({
  id: `e${i}`,
  type: 'Posted',
  schema_version: 1,
  payload: JSON.stringify({ amount: (i % 100) / 100 }),
}));

function rows(rows: Row[]): ApplicableEvent[] {
  return rows.map((r) => ({ id: r.id, type: r.type, schemaVersion: r.schema_version, payload: JSON.parse(r.payload) }));
}

function timeReplay(aggregate: AggregateClass<Aggregate<LedgerState>>, stored: Row[]): number {
  const engine = engineFor(aggregate);
  const started = performance.now();
  const instance = engine.create('bench');
  engine.replay(instance, rows(stored));
  const elapsed = performance.now() - started;
  if (engine.stateOf(instance).version !== EVENTS) throw new Error('replay lost events');
  return elapsed;
}

function timeSnapshot(snapshot: string): number {
  const engine = engineFor(Ledger);
  const started = performance.now();
  const instance = engine.create('bench');
  const { state, version } = JSON.parse(snapshot) as { state: LedgerState; version: number };
  engine.restore(instance, state, version);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// Same final state either way: the chain must not change meaning.
{
  const a = engineFor(Ledger).create('check');
  engineFor(Ledger).replay(a, rows(v1Rows));
  const b = engineFor(PlainLedger).create('check');
  engineFor(PlainLedger).replay(b, rows(currentRows));
  if (JSON.stringify(engineFor(Ledger).stateOf(a)) !== JSON.stringify(engineFor(PlainLedger).stateOf(b)))
    throw new Error('chain changed the result');
}

for (let i = 0; i < 3; i++) {
  timeReplay(PlainLedger, currentRows);
  timeReplay(Ledger, v1Rows);
}
const plain: number[] = [];
const chained: number[] = [];
const ratios: number[] = [];
const snapshots: number[] = [];
const snapshot = JSON.stringify({ state: { balanceCents: 123_456, entries: EVENTS }, version: EVENTS });
for (let round = 0; round < ROUNDS; round++) {
  // Interleave, and compare within each round, so that machine noise hits both sides alike.
  const withoutChain = timeReplay(PlainLedger, currentRows);
  const withChain = timeReplay(Ledger, v1Rows);
  plain.push(withoutChain);
  chained.push(withChain);
  ratios.push(withChain / withoutChain);
  snapshots.push(timeSnapshot(snapshot));
}

const figures = {
  rehydrate_10k_ms: Number(median(plain).toFixed(2)),
  rehydrate_10k_upcast3_ms: Number(median(chained).toFixed(2)),
  // The median of the per-round (paired) ratios.
  rehydrate_10k_upcast3_ratio: Number(median(ratios).toFixed(3)),
  rehydrate_snapshot_ms: Number(median(snapshots).toFixed(3)),
};
console.log(JSON.stringify(figures));
