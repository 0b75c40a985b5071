import { aggregateClients } from '@escf/cloudflare';
import { User } from '../../examples/users/src/domain/index.js';

const aggregates = aggregateClients({ user: { aggregate: User, binding: 'USER_AGGREGATE' } });

export async function lifeOfAda(env: object): Promise<number> {
  await aggregates(env).user('ada').create({ name: 'Ada', email: 'ada@example.com', password: 'correct horse' });
  await aggregates(env, { sync: 'sessions' }).user('ada').update({ name: 'Ada L.' }, { expectedVersion: 3 });
  await aggregates(env, { tenantId: 'acme' }).user('ada').delete({}, { idempotencyKey: 'req-42' });
  const { version } = await aggregates(env).user.state('ada');
  return version;
}
