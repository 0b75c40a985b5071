// An aggregate whose event carries a secret (marked sensitive): the admin entrypoint must mask it.
import { Aggregate, Command, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { z } from 'zod';

export const VaultOpened = defineEvent('VaultOpened', z.object({ owner: z.string(), secret: z.string() }), {
  sensitive: ['secret'],
});
export type VaultOpened = PayloadOf<typeof VaultOpened>;
export const VaultRenamed = defineEvent('VaultRenamed', z.object({ owner: z.string() }));
export type VaultRenamed = PayloadOf<typeof VaultRenamed>;

export class Vault extends Aggregate<{
  owner: string | null;
  secret: string | null;
  renames: number;
  keys: { secret: string | null };
}> {
  static readonly type = 'Vault';
  protected initialState() {
    return { owner: null, secret: null, renames: 0, keys: { secret: null } };
  }

  @Command(z.object({ owner: z.string().min(1), secret: z.string().min(1) }).strict(), { emits: [VaultOpened] })
  open(input: { owner: string; secret: string }) {
    return new VaultOpened(input);
  }

  @Command(z.object({ owner: z.string().min(1) }).strict(), { emits: [VaultRenamed] })
  rename(input: { owner: string }) {
    return new VaultRenamed(input);
  }

  @EventHandler(VaultOpened)
  protected opened(e: VaultOpened) {
    // Kept nested too: masking must reach it.
    return { ...this.state, owner: e.owner, secret: e.secret, keys: { secret: e.secret } };
  }

  @EventHandler(VaultRenamed)
  protected renamed(e: VaultRenamed) {
    return { ...this.state, owner: e.owner, renames: this.state.renames + 1 };
  }
}
