import { describe, expect, it } from 'vitest';
import { InvalidEventError, StateMutationError, UnknownCommandError, ValidationError } from '../src/index.js';
import { type CommandEngine, engineFor } from '../src/internal.js';
import { Account } from './fixtures.js';

async function opened(): Promise<{ engine: CommandEngine<Account>; account: Account }> {
  const engine = engineFor(Account);
  const account = engine.create('acc-1', 'tenant-a');
  engine.accept(account, await engine.decide(account, 'open', { owner: 'ada' }));
  return { engine, account };
}

describe('CommandEngine', () => {
  it('turns a command into numbered, enveloped events and the next state', async () => {
    const { engine, account } = await opened();
    const decision = await engine.decide(
      account,
      'depositMany',
      { amounts: [5, 7] },
      { correlationId: 'corr', now: 42 },
    );
    expect(decision.version).toBe(3);
    expect(decision.state).toMatchObject({ balance: 12, history: [5, 7] });
    expect(decision.events).toMatchObject([
      {
        aggregateType: 'Account',
        aggregateId: 'acc-1',
        version: 2,
        type: 'Deposited',
        schemaVersion: 1,
        payload: { amount: 5 },
        timestamp: 42,
      },
      { version: 3, payload: { amount: 7 } },
    ]);
    expect(decision.events[0]!.metadata).toMatchObject({ correlationId: 'corr', tenantId: 'tenant-a' });
    expect(decision.events[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(decision.events[0]!.id < decision.events[1]!.id).toBe(true);
  });

  it('leaves the instance unchanged until the decision is accepted', async () => {
    const { engine, account } = await opened();
    await engine.decide(account, 'deposit', { amount: 5 });
    expect(engine.stateOf(account)).toMatchObject({ version: 1, state: { balance: 0 } });
  });

  it('applies schema defaults to schema-based events before storing them', async () => {
    const { engine, account } = await opened();
    const decision = await engine.decide(account, 'close', {});
    expect(decision.events[0]!.payload).toEqual({ reason: 'unspecified' });
  });

  it('accepts commands that emit nothing', async () => {
    const { engine, account } = await opened();
    const decision = await engine.decide(account, 'noop', {});
    expect(decision).toMatchObject({ events: [], version: 1 });
  });

  it('rejects invalid input with per-field issues (Standard Schema and class-validator)', async () => {
    const { engine, account } = await opened();
    const zodError = await engine.decide(account, 'open', { owner: '' }).catch((e: unknown) => e);
    expect(zodError).toBeInstanceOf(ValidationError);
    expect((zodError as ValidationError).issues).toEqual([{ path: 'owner', message: expect.any(String) }]);

    const dtoError = (await engine
      .decide(account, 'deposit', { amount: 0, extra: 1 })
      .catch((e: unknown) => e)) as ValidationError;
    expect(dtoError.code).toBe('VALIDATION_FAILED');
    expect(dtoError.issues.map((i) => i.path).sort()).toEqual(['amount', 'extra']);
  });

  it.each([
    null,
    'text',
    42,
    [1],
    { __proto__: { amount: 1 } },
    JSON.parse('{"__proto__": {"polluted": true}, "amount": 1}'),
  ])('rejects non-object or dangerous input %j for a DTO command', async (input) => {
    const { engine, account } = await opened();
    await expect(engine.decide(account, 'deposit', input)).rejects.toBeInstanceOf(ValidationError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects unknown commands, including inherited and prototype names', async () => {
    const { engine, account } = await opened();
    for (const name of ['explode', 'constructor', '__proto__', 'toString', 'opened']) {
      const error = await engine.decide(account, name, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownCommandError);
      expect((error as UnknownCommandError).code).toBe('UNKNOWN_COMMAND');
    }
  });

  it('detects a command that writes to state directly', async () => {
    const { engine, account } = await opened();
    for (const command of ['cheat', 'cheatHistory']) {
      const error = await engine.decide(account, command, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateMutationError);
      expect((error as StateMutationError).code).toBe('STATE_MUTATION');
    }
    expect(engine.stateOf(account).state).toMatchObject({ balance: 0, history: [] });
  });

  it('rejects commands that return something other than events', async () => {
    const { engine, account } = await opened();
    await expect(engine.decide(account, 'returnsJunk', {})).rejects.toThrow(/not an event/);
    await expect(engine.decide(account, 'emitsUndeclared', {})).rejects.toThrow(/not in its emits list/);
  });

  it('validates emitted events and applies none when one is invalid', async () => {
    const { engine, account } = await opened();
    const error = await engine.decide(account, 'emitsInvalid', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).code).toBe('INVALID_EVENT');
    expect(engine.stateOf(account)).toMatchObject({ version: 1, state: { balance: 0 } });
  });

  it('replays stored events to the same state and version', async () => {
    const { engine, account } = await opened();
    const decision = await engine.decide(account, 'depositMany', { amounts: [1, 2, 3] });
    engine.accept(account, decision);
    const rebuilt = engine.create('acc-1', 'tenant-a');
    engine.replay(rebuilt, [
      { type: 'Opened', payload: { owner: 'ada' } },
      ...JSON.parse(JSON.stringify(decision.events)),
    ]);
    expect(engine.stateOf(rebuilt)).toEqual(engine.stateOf(account));
  });

  it('freezes state deeply', async () => {
    const { engine, account } = await opened();
    const { state } = engine.stateOf(account) as { state: { history: number[] } };
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.history)).toBe(true);
  });
});
