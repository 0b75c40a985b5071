import { env } from 'cloudflare:workers';
import { eventually } from '@escf/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AdminRpc, MASKED } from '../../src/admin/index.js';
import { aggregateClients, D1EventStore } from '../../src/index.js';
import { unwrapReply } from '../../src/internal.js';
import { Counter } from '../projection/counter-domain.js';
import { Vault } from './vault-domain.js';
import type { Env } from './worker.js';

const testEnv = env as unknown as Env;
const read = { token: testEnv.ESCF_ADMIN_READ_TOKEN, actor: 'reader@test' };
const write = { token: testEnv.ESCF_ADMIN_WRITE_TOKEN, actor: 'operator@test' };
// Typed by the admin contract (RPC stubs wrap return types in ways `unwrapReply` cannot infer through).
const admin = testEnv.ADMIN as unknown as AdminRpc & Fetcher;
const clients = aggregateClients({
  counter: { aggregate: Counter, binding: 'COUNTER_AGGREGATE' },
  vault: { aggregate: Vault, binding: 'VAULT_AGGREGATE' },
});

let n = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

async function openVault(id: string) {
  const vault = clients(testEnv, { sync: [] }).vault(id);
  await vault.open({ owner: 'ada', secret: 's3cret' });
  await vault.rename({ owner: 'grace' });
}

const http = (path: string, init: RequestInit & { token?: string } = {}) =>
  admin.fetch(`http://admin${path}`, {
    method: init.method ?? 'POST',
    headers: {
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
      'content-type': 'application/json',
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });

afterEach(() => vi.restoreAllMocks());

describe('admin entrypoint: security', () => {
  it('refuses every call when no token secret is configured, even with a token that works elsewhere', async () => {
    const reply = await testEnv.UNCONFIGURED_ADMIN.systemMap(write);
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const response = await testEnv.UNCONFIGURED_ADMIN.fetch('http://admin/systemMap', {
      method: 'POST',
      headers: { authorization: `Bearer ${write.token}` },
    });
    expect(response.status).toBe(401);
  });

  it('refuses a missing or wrong token over RPC and HTTP', async () => {
    expect(await admin.systemMap({ token: '' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await admin.systemMap({ token: `${read.token}x` })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    expect((await http('/systemMap')).status).toBe(401);
    expect((await http('/systemMap', { token: 'nope' })).status).toBe(401);
    // A token in the URL is not a credential.
    expect((await admin.fetch(`http://admin/systemMap?token=${read.token}`, { method: 'POST' })).status).toBe(401);
  });

  it('answers HTTP errors with the one JSON error body { error: { code, message, details? } }', async () => {
    expect(await (await http('/systemMap', { token: 'nope' })).json()).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.any(String) },
    });
    const unknown = await http('/explode', { token: read.token });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: 'NOT_FOUND', message: "No admin method 'explode'", details: { methods: expect.any(Array) } },
    });
    const malformed = await http('/stream', { token: read.token, body: '{' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: '' }] } },
    });
  });

  it('lets the read token read but not act, and the write token act; actions are logged with who and what', async () => {
    const log = vi.spyOn(console, 'log');
    const forbidden = await admin.retryStuck(read, { projection: 'tally' });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await http('/rebuild', { token: read.token, body: JSON.stringify({ projection: 'tally' }) })).status).toBe(
      403,
    );
    const send = await admin.sendCommand(read, {
      aggregateType: 'Counter',
      aggregateId: uniqueId('c'),
      command: 'count',
      input: { by: 1 },
    });
    expect(send).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const retried = await admin.retryStuck(write, { projection: 'tally' });
    expect(retried.ok).toBe(true);
    const lines = log.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('ADMIN_ACTION'));
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({
        actor: 'operator@test',
        scope: 'write',
        action: 'retryStuck',
        target: { projection: 'tally' },
      }),
    );
  });

  it('masks sensitive fields for everyone unless a write-scoped caller asks to reveal them', async () => {
    const id = uniqueId('vault');
    await openVault(id);
    const masked = unwrapReply(await admin.stream(write, { aggregateType: 'Vault', aggregateId: id }));
    expect(masked.events[0]!.payload).toEqual({ owner: 'ada', secret: MASKED });
    const state = unwrapReply(await admin.stateAt(read, { aggregateType: 'Vault', aggregateId: id }));
    expect(state.state).toMatchObject({ owner: 'grace', secret: MASKED, keys: { secret: MASKED } });

    expect(await admin.stream(read, { aggregateType: 'Vault', aggregateId: id, reveal: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const revealed = unwrapReply(await admin.stream(write, { aggregateType: 'Vault', aggregateId: id, reveal: true }));
    expect(revealed.events[0]!.payload).toEqual({ owner: 'ada', secret: 's3cret' });
    // The tail masks too.
    const tail = unwrapReply(await admin.tailEvents(read, { after: 0, limit: 500 }));
    expect(
      tail.events
        .filter((e) => e.type === 'VaultOpened')
        .every((e) => (e.payload as { secret: string }).secret === MASKED),
    ).toBe(true);
  });

  it('answers bad input with a typed error and a 4xx, never a 500', async () => {
    expect(await admin.stream(read, { aggregateType: 'Nope', aggregateId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await admin.stream(read, { aggregateType: 'Counter', aggregateId: '' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect((await http('/stream', { token: read.token, body: '{not json' })).status).toBe(400);
    expect((await http('/nope', { token: read.token })).status).toBe(404);
    expect(
      (
        await http('/diff', {
          token: read.token,
          body: JSON.stringify({ aggregateType: 'Counter', aggregateId: 'x', from: -1, to: 2 }),
        })
      ).status,
    ).toBe(400);
  });
});

describe('admin entrypoint: reading the system', () => {
  it('serves the system map: commands with input JSON Schemas, events with versions, upcasts, sensitive fields and consumers', async () => {
    const map = unwrapReply(await admin.systemMap(read));
    const counter = map.aggregates.find((a) => a.type === 'Counter')!;
    expect(counter.commands.find((c) => c.name === 'count')).toMatchObject({
      inputSchema: { type: 'object', properties: { by: { type: 'integer' } } },
      emits: ['Counted'],
    });
    expect(counter.events.find((e) => e.type === 'Counted')).toMatchObject({
      version: 2,
      upcastFrom: [1],
      consumers: ['tally'],
    });
    expect(
      map.aggregates.find((a) => a.type === 'Vault')!.events.find((e) => e.type === 'VaultOpened')!.sensitive,
    ).toEqual(['secret']);
    expect(map.queues).toEqual([{ name: 'notifier-events', consumer: 'notifier', deadLetterQueue: 'notifier-dlq' }]);
    // The same over HTTP.
    const response = await http('/systemMap', { method: 'GET', token: read.token });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { value: { name: string } }).value.name).toBe('admin-test');
  });

  it('lists and searches instances from the log, with their outbox backlog per target', async () => {
    const id = uniqueId('search');
    await clients(testEnv, { sync: true }).counter(id).count({ by: 2 });
    await clients(testEnv, { sync: true }).counter(id).count({ by: 3 });
    const found = unwrapReply(
      await admin.instances(read, { aggregateType: 'Counter', aggregateId: `${id.slice(0, 8)}*`, withBacklog: true }),
    );
    const instance = found.instances.find((i) => i.aggregateId === id)!;
    expect(instance).toMatchObject({
      aggregateType: 'Counter',
      version: 2,
      outbox: {
        version: 2,
        targets: [
          { target: 'd1', pending: 0 },
          { target: 'service:TALLY', pending: 0 },
        ],
      },
    });
    expect(instance.lastEventAt).toBeGreaterThan(0);
    expect(unwrapReply(await admin.instances(read, { aggregateType: 'Vault', aggregateId: id })).instances).toEqual([]);
  });

  it('shows a stream with stored and read schema versions, pages it, time-travels and diffs', async () => {
    const id = uniqueId('travel');
    // An event stored at schema version 1 (`amount`), read as version 2 (`by`).
    await new D1EventStore(testEnv.ESCF_EVENTS).append(
      { aggregateType: 'Counter', aggregateId: id },
      [
        {
          id: crypto.randomUUID(),
          aggregateType: 'Counter',
          aggregateId: id,
          version: 1,
          type: 'Counted',
          schemaVersion: 1,
          payload: { amount: 5 },
          timestamp: Date.now(),
          metadata: { correlationId: 'c', causationId: 'c' },
        },
        {
          id: crypto.randomUUID(),
          aggregateType: 'Counter',
          aggregateId: id,
          version: 2,
          type: 'Counted',
          schemaVersion: 2,
          payload: { by: 4 },
          timestamp: Date.now(),
          metadata: { correlationId: 'c', causationId: 'c', idempotencyKey: 'k' },
        },
        {
          id: crypto.randomUUID(),
          aggregateType: 'Counter',
          aggregateId: id,
          version: 3,
          type: 'Counted',
          schemaVersion: 2,
          payload: { by: 1 },
          timestamp: Date.now(),
          metadata: { correlationId: 'c', causationId: 'c' },
        },
      ],
      { expectedVersion: 0 },
    );
    const address = { aggregateType: 'Counter', aggregateId: id };
    const first = unwrapReply(await admin.stream(read, { ...address, limit: 2 }));
    expect(first.head).toBe(3);
    expect(first.events[0]).toMatchObject({
      version: 1,
      storedSchemaVersion: 1,
      readSchemaVersion: 2,
      payload: { by: 5 },
    });
    expect(first.events[1]!.metadata).toMatchObject({ idempotencyKey: 'k' });
    expect(first.nextVersion).toBe(3);
    expect(unwrapReply(await admin.stream(read, { ...address, fromVersion: 3 })).events.map((e) => e.version)).toEqual([
      3,
    ]);

    expect(unwrapReply(await admin.stateAt(read, { ...address, version: 1 }))).toMatchObject({
      version: 1,
      head: 3,
      state: { total: 5 },
    });
    expect(unwrapReply(await admin.stateAt(read, { ...address }))).toMatchObject({ version: 3, state: { total: 10 } });
    expect(unwrapReply(await admin.diff(read, { ...address, from: 1, to: 3 })).changes).toEqual([
      { path: '/total', kind: 'changed', before: 5, after: 10 },
    ]);
    expect(await admin.stateAt(read, { aggregateType: 'Counter', aggregateId: uniqueId('none') })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('tails the log from a position, and over HTTP as server-sent events', async () => {
    const { head } = unwrapReply(await admin.tailEvents(read));
    const id = uniqueId('tail');
    await clients(testEnv, { sync: true }).counter(id).count({ by: 7 });
    const page = unwrapReply(await admin.tailEvents(read, { after: head }));
    expect(page.events.find((e) => e.type === 'Counted' && (e.payload as { by: number }).by === 7)).toMatchObject({
      aggregateType: 'Counter',
      aggregateId: id,
    });

    const response = await admin.fetch(`http://admin/tail/stream?after=${head}`, {
      headers: { authorization: `Bearer ${read.token}` },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: event')) text += (await reader.read()).value ?? '';
    await reader.cancel();
    expect(text).toContain('"by":7');
  });
});

describe('admin entrypoint: projections and actions', () => {
  it('reports a poisoned stream as stuck with its error and lag, and recovers it with retryStuck', async () => {
    const id = uniqueId('poison');
    await testEnv.TALLY_DB.prepare('INSERT INTO poison (id) VALUES (?)').bind(id).run();
    await clients(testEnv, { sync: true }).counter(id).count({ by: 1 });
    // Committed, but the projection fails on it: the command reports DELIVERY_PENDING.
    await expect(clients(testEnv, { sync: true }).counter(id).poke({})).rejects.toMatchObject({
      code: 'DELIVERY_PENDING',
    });
    await eventually(async () => {
      const { projections } = unwrapReply(await admin.projections(read));
      const tally = projections.find((p) => p.name === 'tally')!;
      expect(tally.status!.stuck, JSON.stringify(tally)).not.toEqual([]);
      expect(tally.status!.stuck.find((s) => s.stream.endsWith(`/Counter/${id}`))).toMatchObject({
        version: 2,
        eventType: 'Poked',
        error: expect.stringContaining('poisoned'),
      });
      return true;
    });
    await testEnv.TALLY_DB.prepare('DELETE FROM poison WHERE id = ?').bind(id).run();
    expect(unwrapReply(await admin.retryStuck(write, { projection: 'tally' }))).toMatchObject({
      applied: expect.any(Number),
    });
    const { projections } = unwrapReply(await admin.projections(read));
    expect(projections[0]!.status!.stuck.some((s) => s.stream.endsWith(`/Counter/${id}`))).toBe(false);
    expect(projections[0]!.lagEvents).toBeGreaterThanOrEqual(0);
  });

  it('starts a rebuild and, for a directly delivered projection (no queue to carry it), drives it to the end', async () => {
    const status = unwrapReply(await admin.rebuild(write, { projection: 'tally' }));
    expect(status).toMatchObject({ status: expect.stringMatching(/running|done/) });
    await eventually(async () => {
      const { projections } = unwrapReply(await admin.projections(read));
      expect(projections[0]!.status!.rebuild).toMatchObject({ status: 'done' });
      return true;
    });
    expect(await admin.rebuild(write, { projection: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('sends a command and returns its events, or its error code', async () => {
    const id = uniqueId('send');
    const sent = unwrapReply(
      await admin.sendCommand(write, {
        aggregateType: 'Vault',
        aggregateId: id,
        command: 'open',
        input: { owner: 'ada', secret: 'x' },
      }),
    );
    expect(sent).toMatchObject({
      ok: true,
      version: 1,
      events: [
        { type: 'VaultOpened', payload: { owner: 'ada', secret: MASKED }, metadata: { actor: 'operator@test' } },
      ],
    });
    const invalid = unwrapReply(
      await admin.sendCommand(write, {
        aggregateType: 'Vault',
        aggregateId: id,
        command: 'open',
        input: { owner: '' },
      }),
    );
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const unknown = unwrapReply(
      await admin.sendCommand(write, { aggregateType: 'Vault', aggregateId: id, command: 'explode', input: {} }),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: expect.any(String) } });
  });

  it("reports each process's status and an archive that is not configured", async () => {
    const { processes } = unwrapReply(await admin.processes(read));
    expect(processes).toEqual([
      expect.objectContaining({ name: 'notifier', status: expect.objectContaining({ name: 'notifier', stuck: [] }) }),
    ]);
    expect(unwrapReply(await admin.archive(read))).toEqual({
      configured: false,
      status: null,
      next: null,
      lastRun: null,
    });
  });

  it('re-drives a process over a range of the log (write token): lost deliveries run once, handled events are skipped', async () => {
    const id = uniqueId('redrive');
    const counter = clients(testEnv, { sync: true }).counter(id);
    for (const by of [1, 2, 3]) await counter.count({ by });
    // The notifier never got these events (nothing delivers to it in this worker): as if their messages were lost.
    const events = await new D1EventStore(testEnv.ESCF_EVENTS).readStream({
      aggregateType: 'Counter',
      aggregateId: id,
    });
    const range = { process: 'notifier', fromPosition: events[0]!.position!, toPosition: events[2]!.position! };
    const effects = async () =>
      (
        await testEnv.NOTIFIER_DB.prepare('SELECT detail FROM effects WHERE target = ? ORDER BY n')
          .bind(id)
          .all<{ detail: string }>()
      ).results.map((r) => r.detail);

    expect(await admin.redriveProcess(read, range)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await effects()).toEqual([]);

    const log = vi.spyOn(console, 'log');
    expect(unwrapReply(await admin.redriveProcess(write, range))).toMatchObject({
      handled: 3,
      duplicates: 0,
      failed: 0,
      more: false,
      lastPosition: events[2]!.position,
    });
    expect(await effects()).toEqual(['counted 1 at v1', 'counted 2 at v2', 'counted 3 at v3']);
    expect(log.mock.calls.map(([line]) => String(line)).filter((l) => l.includes('ADMIN_ACTION'))).toContainEqual(
      expect.stringContaining('"action":"redriveProcess"'),
    );
    // Again, over HTTP: everything is a duplicate, no effect runs twice.
    const again = await http('/redriveProcess', { token: write.token, body: JSON.stringify(range) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, value: { handled: 0, duplicates: 3 } });
    expect(await effects()).toHaveLength(3);

    // Bad input: a typed 4xx, nothing re-driven.
    for (const bad of [
      { process: 'notifier', fromPosition: 0 },
      { process: 'notifier', fromPosition: '1' },
      { process: 'notifier', fromPosition: 5, toPosition: 4 },
      { process: 'notifier', fromPosition: 1, limit: 5_000 },
    ]) {
      const response = await http('/redriveProcess', { token: write.token, body: JSON.stringify(bad) });
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await admin.redriveProcess(write, { process: 'nope', fromPosition: 1 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
