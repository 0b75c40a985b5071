// Type tests, compiled by `npm run typecheck`: wrong calls must not compile.
import type { CommandResult } from '@escf/core';
import { aggregateClients } from '../../src/aggregate/aggregate-client.js';
import { Member as User } from '../member.js';

declare const env: object;
const aggregates = aggregateClients({ user: { aggregate: User, binding: 'USER_AGGREGATE' } });

export async function typeTests(): Promise<void> {
  const user = aggregates(env).user('ada');
  const created: CommandResult = await user.create({
    name: 'Ada',
    email: 'ada@example.com',
    password: 'correct horse',
  });
  void created;
  await user.update({ name: 'Ada L.' }, { expectedVersion: 2, idempotencyKey: 'k' });
  await aggregates(env, { sync: true, tenantId: 'acme' }).user('ada').delete();
  await user.delete({});

  // @ts-expect-error — unknown command
  await user.explode({});
  // @ts-expect-error — missing required field
  await user.create({ name: 'Ada', email: 'ada@example.com' });
  // @ts-expect-error — wrong field type
  await user.update({ name: 42 });
  // @ts-expect-error — helpers that are not commands are not on the client
  await user.existing();
  // @ts-expect-error — unknown aggregate
  aggregates(env).order('o-1');

  const { state, version } = await aggregates(env).user.state('ada');
  const n: number = version;
  void n;
  if (state.status === 'active') {
    const name: string = state.name;
    void name;
  }
}
