// Type tests, compiled by `npm run typecheck`: wrong calls must not compile.

import { type ProjectionOf, projectionClients } from '../../src/projection/projection-client.js';
import type { projectionEntrypoint } from '../../src/projection/projection-entrypoint.js';

declare const env: object;

class Accounts {
  async balance(id: string): Promise<{ id: string; balance: number }> {
    return { id, balance: 0 };
  }
  list(): Promise<string[]> {
    return Promise.resolve([]);
  }
  resetReadModel() {
    return [];
  }
}
declare const AccountsEntrypoint: ReturnType<typeof projectionEntrypoint<Accounts>>;

export async function typeTests(): Promise<void> {
  const { ACCOUNTS } = projectionClients<{ ACCOUNTS: ProjectionOf<typeof AccountsEntrypoint> }>(env);
  // Values come back as the query returns them: no reply wrapper.
  const balance: number = (await ACCOUNTS.balance('a-1')).balance;
  const ids: string[] = await ACCOUNTS.list();
  void balance;
  void ids;
  // @ts-expect-error — wrong argument type
  await ACCOUNTS.balance(42);
  // @ts-expect-error — unknown query
  await ACCOUNTS.explode();
  // @ts-expect-error — resetReadModel is not a query
  await ACCOUNTS.resetReadModel();
  // @ts-expect-error — unknown binding
  projectionClients<{ ACCOUNTS: Accounts }>(env).LEDGER;
}
