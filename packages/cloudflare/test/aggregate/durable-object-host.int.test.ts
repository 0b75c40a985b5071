import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import {
  ConcurrencyError,
  Conflict,
  DomainError,
  EscfError,
  type EventEnvelope,
  Forbidden,
  IdempotencyKeyReusedError,
  NotFound,
  Unauthorized,
  ValidationError,
} from '@escf/core';
import { describe, expect, it } from 'vitest';
import { durableObjectName } from '../../src/aggregate/aggregate-address.js';
import { ada, aggregates, d1Events, doSql, eventually, queuedEvents, stubOf, testEnv, uniqueId } from '../helpers.js';

const users = () => aggregates(testEnv).user;
const userStub = (id: string, tenantId?: string) =>
  stubOf(
    testEnv.USER_AGGREGATE,
    durableObjectName(tenantId === undefined ? { aggregateId: id } : { aggregateId: id, tenantId }),
  );

async function verificationToken(id: string): Promise<string> {
  const { state } = await users().state(id);
  if (state.status === 'new' || state.emailVerification === null) throw new Error('no pending verification');
  return state.emailVerification.token;
}

describe('durableObjectFor(User): the command path', () => {
  it('round-trips every User command: DO SQLite, then D1, then the queue and the RPC subscriber', async () => {
    const id = uniqueId('round-trip');
    const user = users()(id);
    const results = [await user.create({ ...ada })];
    results.push(await user.fulfillEmailVerification({ token: await verificationToken(id) }));
    results.push(await user.update({ name: 'Ada King', email: 'ada.king@example.com' }));
    results.push(await user.fulfillEmailVerification({ token: await verificationToken(id) }));
    results.push(await user.authenticate({ password: ada.password }));
    results.push(await user.delete());

    const types = results.flatMap((r) => r.events.map((e) => e.type));
    expect(types).toEqual([
      'UserCreated',
      'UserEmailVerificationIssued',
      'UserEmailVerificationFulfilled',
      'UserUpdated',
      'UserEmailVerificationIssued',
      'UserEmailVerificationFulfilled',
      'UserAuthenticated',
      'UserDeleted',
    ]);
    expect(results.at(-1)!.version).toBe(8);
    const ids = results.flatMap((r) => r.events.map((e) => e.id));

    // 1. Committed in the Durable Object's own SQLite.
    const stored = await doSql<{ version: number; id: string; type: string }>(
      userStub(id),
      'SELECT version, id, type FROM escf_events ORDER BY version',
    );
    expect(stored.map((row) => row.id)).toEqual(ids);
    expect(stored.map((row) => row.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await users().state(id)).toMatchObject({
      version: 8,
      state: { status: 'deleted', name: 'Ada King', email: 'ada.king@example.com' },
    });

    // 2. The alarm drains into D1 (run it now rather than waiting).
    await runDurableObjectAlarm(userStub(id));
    await eventually(async () => (await d1Events(id)).length === 8);
    const inD1 = await d1Events(id);
    expect(inD1.map((e) => e.id)).toEqual(ids);
    expect(inD1.map((e) => e.position)).toEqual(inD1.map((_, i) => inD1[0]!.position + i)); // dense positions

    // 3. Every event reaches the queue consumer and the RPC subscriber, with its D1 position.
    await eventually(async () => new Set((await queuedEvents(id)).map((m) => m.event_id)).size === 8);
    const queued = await queuedEvents(id);
    const positionById = new Map(inD1.map((e) => [e.id, e.position]));
    for (const message of queued) expect(message.position).toBe(positionById.get(message.event_id));
    const delivered = (await testEnv.SUBSCRIBER.received()).filter((e) => e.aggregateId === id);
    expect(delivered.map((e) => e.id)).toEqual(ids);
  });

  it('serializes 50 concurrent commands on one aggregate: versions 1..n with no gaps or lost updates', async () => {
    const id = uniqueId('concurrent');
    const user = users()(id);
    await user.create({ ...ada });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0 ? user.update({ name: `Name ${i}` }) : user.authenticate({ password: ada.password }),
      ),
    );
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    const versions = outcomes
      .map((o) => (o as PromiseFulfilledResult<{ version: number }>).value.version)
      .sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 3));
    const stored = await doSql<{ version: number }>(userStub(id), 'SELECT version FROM escf_events ORDER BY version');
    expect(stored.map((r) => r.version)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    expect((await users().state(id)).version).toBe(52);
  });

  it('serializes commands that await timers: 50 concurrent async commands, no interleaving, gapless', async () => {
    const id = uniqueId('slow');
    const counter = aggregates(testEnv).slowCounter(id);
    const results = await Promise.all(Array.from({ length: 50 }, () => counter.increment()));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Each event was decided on the state its predecessor produced.
    expect(results.map((r) => (r.events[0]!.payload as { from: number }).from).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(await aggregates(testEnv).slowCounter.state(id)).toEqual({ version: 50, state: { count: 50 } });
  });

  it('rejects a stale expected version with CONCURRENCY_CONFLICT and accepts the current one', async () => {
    const id = uniqueId('expected');
    const user = users()(id);
    await user.create({ ...ada });
    const error = await user.update({ name: 'X' }, { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).code).toBe('CONCURRENCY_CONFLICT');
    expect((error as ConcurrencyError).details).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    await expect(user.update({ name: 'Y' }, { expectedVersion: 2 })).resolves.toMatchObject({ version: 3 });
  });

  it('answers an idempotent retry with the first result and appends nothing', async () => {
    const id = uniqueId('idempotent');
    const user = users()(id);
    const first = await user.create({ ...ada }, { idempotencyKey: 'signup-1' });
    const retry = await user.create({ ...ada }, { idempotencyKey: 'signup-1' });
    expect(retry).toEqual(first);
    expect(retry.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(first.events[0]!.metadata.idempotencyKey).toBe('signup-1');
    expect(await doSql(userStub(id), 'SELECT version FROM escf_events')).toHaveLength(2);
    // Without the key the same command is a real second attempt.
    await expect(user.create({ ...ada })).rejects.toMatchObject({ code: 'USER_EXISTS' });
    // Keys expire: once past its TTL the key no longer answers.
    await doSql(userStub(id), 'UPDATE escf_idempotency SET expires_at = 0');
    await expect(user.create({ ...ada }, { idempotencyKey: 'signup-1' })).rejects.toMatchObject({
      code: 'USER_EXISTS',
    });
  });

  it('refuses an idempotency key reused for another command or input with IDEMPOTENCY_KEY_REUSED', async () => {
    const id = uniqueId('key-reused');
    const user = users()(id);
    await user.create({ ...ada }, { idempotencyKey: 'signup-1' });
    // Same command, another input; another command: the earlier result would be silently wrong.
    const reused = await user.create({ ...ada, name: 'Eve' }, { idempotencyKey: 'signup-1' }).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(user.update({ name: 'Eve' }, { idempotencyKey: 'signup-1' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    // The same input in another field order is the same request.
    await expect(
      user.create({ password: ada.password, email: ada.email, name: ada.name }, { idempotencyKey: 'signup-1' }),
    ).resolves.toMatchObject({ version: 2 });
    expect(await doSql(userStub(id), 'SELECT version FROM escf_events')).toHaveLength(2);
    // Keys stored before fingerprints existed (NULL) still answer with their result.
    await doSql(userStub(id), 'UPDATE escf_idempotency SET fingerprint = NULL');
    await expect(user.update({ name: 'Eve' }, { idempotencyKey: 'signup-1' })).resolves.toMatchObject({ version: 2 });
    // An object written by a version without the column gets it when it next starts.
    await doSql(userStub(id), 'ALTER TABLE escf_idempotency DROP COLUMN fingerprint');
    await evictDurableObject(userStub(id));
    await expect(user.update({ name: 'Eve' }, { idempotencyKey: 'signup-1' })).resolves.toMatchObject({ version: 2 });
    await user.update({ name: 'Eve' }, { idempotencyKey: 'rename-1' });
    await expect(user.update({ name: 'Mallory' }, { idempotencyKey: 'rename-1' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('answers bad input with VALIDATION_FAILED and stores nothing anywhere', async () => {
    const id = uniqueId('bad-input');
    const user = users()(id);
    const error = await user
      .create({ name: '', email: 'not-an-email', password: 'short' }, { idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('VALIDATION_FAILED');
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual(['email', 'name', 'password']);

    const stub = userStub(id);
    // Nothing at all: not even ESCF's tables exist in an object nothing was stored in.
    expect(await doSql(stub, "SELECT name FROM sqlite_master WHERE name LIKE 'escf%'")).toEqual([]);
    expect(
      await runInDurableObject(stub, (_i: unknown, state: DurableObjectState) => state.storage.getAlarm()),
    ).toBeNull();
    expect(await d1Events(id)).toEqual([]);
    // An update with an unknown field is rejected too (zod strict schema).
    await user.create({ ...ada });
    await expect(user.update({ name: 'A', admin: true } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await users().state(id)).version).toBe(2);
  });

  it('keeps error classes, codes and details across the RPC boundary', async () => {
    const id = uniqueId('errors');
    const user = users()(id);
    const notFound = await user.update({ name: 'x' }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NotFound);
    expect(notFound).toMatchObject({ code: 'NOT_FOUND', message: `User ${id} not found` });

    await user.create({ ...ada });
    const exists = await user.create({ ...ada }).catch((e: unknown) => e);
    expect(exists).toBeInstanceOf(Conflict);
    expect(exists).toMatchObject({ code: 'USER_EXISTS' });

    await expect(user.authenticate({ password: 'wrong password' })).rejects.toBeInstanceOf(Unauthorized);
    const badToken = await user.fulfillEmailVerification({ token: 'nope' }).catch((e: unknown) => e);
    expect(badToken).toBeInstanceOf(DomainError);
    expect(badToken).toMatchObject({ code: 'INVALID_TOKEN' });

    const unknown = await (user as unknown as Record<string, (input: unknown) => Promise<unknown>>).explode!({}).catch(
      (e: unknown) => e,
    );
    expect(unknown).toBeInstanceOf(EscfError);
    expect(unknown).toMatchObject({ code: 'UNKNOWN_COMMAND', details: { command: 'explode' } });
  });

  it('comes back from a snapshot after eviction', async () => {
    const id = uniqueId('evict');
    const user = users()(id);
    await user.create({ ...ada });
    await user.update({ name: 'Before eviction' });
    const stub = userStub(id);
    const [snapshot] = await doSql<{ version: number; state: string }>(
      stub,
      'SELECT version, state FROM escf_snapshot',
    );
    expect(snapshot!.version).toBe(3);

    // Mark the snapshot: if the reloaded state carries the mark, it was read from the snapshot.
    const marked = { ...JSON.parse(snapshot!.state), name: 'From snapshot' };
    await doSql(stub, 'UPDATE escf_snapshot SET state = ?', JSON.stringify(marked));
    await evictDurableObject(stub);
    expect(await users().state(id)).toMatchObject({ version: 3, state: { name: 'From snapshot' } });
    await expect(user.authenticate({ password: ada.password })).resolves.toMatchObject({ version: 4 });
  });

  it('replays the tail after the snapshot when snapshots are sparse', async () => {
    const id = uniqueId('sparse');
    const user = aggregates(testEnv).sparseUser(id);
    await user.create({ ...ada });
    await user.update({ name: 'Tail 1' });
    await user.update({ name: 'Tail 2' });
    const stub = stubOf(testEnv.SPARSE_USER_AGGREGATE, id);
    expect(await doSql(stub, 'SELECT version FROM escf_snapshot')).toEqual([]);
    await evictDurableObject(stub);
    expect(await aggregates(testEnv).sparseUser.state(id)).toMatchObject({ version: 4, state: { name: 'Tail 2' } });
  });

  it('discards a snapshot taken under another code version and rebuilds from events', async () => {
    const id = uniqueId('fingerprint');
    const user = users()(id);
    await user.create({ ...ada });
    await user.update({ name: 'Rebuilt' });
    const stub = userStub(id);
    await doSql(stub, `UPDATE escf_snapshot SET fingerprint = 'old-code', state = '{"status":"new"}'`);
    await evictDurableObject(stub);
    expect(await users().state(id)).toMatchObject({ version: 3, state: { status: 'active', name: 'Rebuilt' } });
    // The next commit replaces the stale snapshot.
    await user.authenticate({ password: ada.password });
    const [snapshot] = await doSql<{ version: number; fingerprint: string }>(
      stub,
      'SELECT version, fingerprint FROM escf_snapshot',
    );
    expect(snapshot!.version).toBe(4);
    expect(snapshot!.fingerprint).not.toBe('old-code');
  });

  it('isolates tenants: same id, different objects, tenant in every event', async () => {
    const id = uniqueId('tenant');
    const acme = aggregates(testEnv, { tenantId: 'acme' }).user;
    const globex = aggregates(testEnv, { tenantId: 'globex' }).user;
    const created = await acme(id).create({ ...ada });
    expect(created.events.every((e: EventEnvelope) => e.metadata.tenantId === 'acme')).toBe(true);
    await expect(globex(id).update({ name: 'Intruder' })).rejects.toBeInstanceOf(NotFound);
    await expect(users()(id).update({ name: 'No tenant' })).rejects.toBeInstanceOf(NotFound);
    expect((await acme.state(id)).version).toBe(2);

    // A forged address sent straight to acme's object is refused.
    const acmeStub = testEnv.USER_AGGREGATE.get(
      testEnv.USER_AGGREGATE.idFromName(durableObjectName({ aggregateId: id, tenantId: 'acme' })),
    );
    const forged = await acmeStub.execute({
      address: { aggregateId: id, tenantId: 'globex' },
      command: 'delete',
      input: {},
    });
    expect(forged).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await acme.state(id)).state.status).toBe('active');

    await runDurableObjectAlarm(acmeStub as unknown as DurableObjectStub);
    const { results } = await testEnv.ESCF_EVENTS.prepare('SELECT tenant_id FROM escf_events WHERE aggregate_id = ?')
      .bind(id)
      .all<{ tenant_id: string }>();
    expect(results.map((r) => r.tenant_id)).toEqual(['acme']);
    expect(forged.ok ? null : new Forbidden(forged.error.message)).toBeInstanceOf(Forbidden);
  });
});
