import { NotFound } from '@escf/core';
import { deserializeError, engineFor, serializeError } from '@escf/core/internal';
import { describe, expect, it } from 'vitest';
import { Member as User } from './member.js';

// @escf/core must run unchanged inside workerd: decorators, class-validator,
// zod, Web Crypto and the engine.
describe('@escf/core inside workerd', () => {
  it('runs an aggregate through the engine', async () => {
    const engine = engineFor(User);
    const ada = engine.create('ada');
    const decision = await engine.decide(ada, 'create', {
      name: 'Ada',
      email: 'ada@example.com',
      password: 'correct horse battery',
    });
    expect(decision.events.map((e) => e.type)).toEqual(['MemberJoined', 'WelcomeIssued']);
    engine.accept(ada, decision);
    expect(engine.stateOf(ada)).toMatchObject({ version: 2, state: { status: 'active', name: 'Ada' } });

    const authenticated = await engine.decide(ada, 'authenticate', { password: 'correct horse battery' });
    expect(authenticated.events.map((e) => e.type)).toEqual(['MemberAuthenticated']);
  });

  it('rebuilds the same state from stored events', async () => {
    const engine = engineFor(User);
    const live = engine.create('ada');
    const decision = await engine.decide(live, 'create', {
      name: 'Ada',
      email: 'ada@example.com',
      password: 'correct horse battery',
    });
    engine.accept(live, decision);
    const replayed = engine.create('ada');
    engine.replay(replayed, JSON.parse(JSON.stringify(decision.events)));
    expect(engine.stateOf(replayed)).toEqual(engine.stateOf(live));
  });

  it('reports validation errors with codes that survive serialisation', async () => {
    const engine = engineFor(User);
    const error = await engine.decide(engine.create('x'), 'create', { name: 1 }).catch((e: unknown) => e);
    const revived = deserializeError(JSON.parse(JSON.stringify(serializeError(error))));
    expect(revived.code).toBe('VALIDATION_FAILED');
    expect(deserializeError(serializeError(new NotFound('gone')))).toBeInstanceOf(NotFound);
  });
});
