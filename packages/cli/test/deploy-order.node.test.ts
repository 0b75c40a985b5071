import { describe, expect, it } from 'vitest';
import { deployOrder } from '../src/deploy/deploy-order.js';
import { withoutBindings } from '../src/deploy/without-bindings.js';
import type { DeployNode } from '../src/deploy/worker-dependencies.js';

const service = (on: string, binding: string) => ({ on, binding, via: 'service' as const });
const durableObject = (on: string, binding: string) => ({ on, binding, via: 'durable-object' as const });

describe('deployOrder', () => {
  it('deploys called workers before their callers, in config order otherwise', () => {
    const nodes: DeployNode[] = [
      { workerName: 'shop-api', kind: 'api', dependencies: [service('shop-notify', 'NOTIFY')] },
      { workerName: 'shop-sessions', kind: 'projection', dependencies: [] },
      { workerName: 'shop-notify', kind: 'process', dependencies: [service('shop-sessions', 'SESSIONS')] },
    ];
    expect(deployOrder(nodes)).toEqual([
      { workerName: 'shop-sessions' },
      { workerName: 'shop-notify' },
      { workerName: 'shop-api' },
    ]);
  });

  it('breaks the users example cycle at the API: first without its service bindings if refused, again at the end', () => {
    const nodes: DeployNode[] = [
      {
        workerName: 'users-api',
        kind: 'api',
        dependencies: [service('users-users', 'USERS'), service('users-sessions', 'SESSIONS')],
      },
      { workerName: 'users-users', kind: 'projection', dependencies: [durableObject('users-api', 'USER_AGGREGATE')] },
      { workerName: 'users-sessions', kind: 'projection', dependencies: [service('users-users', 'USERS')] },
      { workerName: 'users-email', kind: 'process', dependencies: [] },
    ];
    expect(deployOrder(nodes)).toEqual([
      { workerName: 'users-email' },
      {
        workerName: 'users-api',
        withoutIfRefused: [service('users-users', 'USERS'), service('users-sessions', 'SESSIONS')],
      },
      { workerName: 'users-users' },
      { workerName: 'users-sessions' },
      { workerName: 'users-api', again: true },
    ]);
  });

  it('prefers breaking a cycle where only service bindings are missing, even outside an API worker', () => {
    const nodes: DeployNode[] = [
      { workerName: 'a', kind: 'api', dependencies: [durableObject('b', 'B_AGGREGATE')] },
      { workerName: 'b', kind: 'projection', dependencies: [service('a', 'A')] },
    ];
    expect(
      deployOrder(nodes).map((s) => [
        s.workerName,
        s.withoutIfRefused?.map((d) => d.binding) ?? (s.again ? 'again' : ''),
      ]),
    ).toEqual([
      ['b', ['A']],
      ['a', ''],
      ['b', 'again'],
    ]);
  });

  it('ignores bindings to workers outside the system (they are deployed elsewhere)', () => {
    expect(deployOrder([{ workerName: 'a', kind: 'api', dependencies: [service('billing', 'BILLING')] }])).toEqual([
      { workerName: 'a' },
    ]);
  });
});

describe('withoutBindings', () => {
  it('removes only the named bindings and keeps comments and other settings', () => {
    const text = `// users-api
{
  "name": "users-api",
  "durable_objects": { "bindings": [{ "name": "USER_AGGREGATE", "class_name": "UserAggregate" }, { "name": "OTHER", "class_name": "Other", "script_name": "x" }] },
  // mine
  "services": [
    { "binding": "USERS", "service": "users-users" },
    { "binding": "AUTH", "service": "auth" },
    { "binding": "SESSIONS", "service": "users-sessions" }
  ]
}`;
    const result = withoutBindings(text, [
      service('users-users', 'USERS'),
      service('users-sessions', 'SESSIONS'),
      durableObject('x', 'OTHER'),
    ]);
    expect(result).toContain('// users-api');
    expect(result).toContain('// mine');
    expect(result).toContain('"AUTH"');
    expect(result).toContain('USER_AGGREGATE');
    expect(result).not.toMatch(/"USERS"|"SESSIONS"|"OTHER"/);
  });
});
