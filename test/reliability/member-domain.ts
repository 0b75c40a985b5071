// A Member aggregate whose email is unique across all members (static
// unique): the uniqueness tests race sign-ups and email changes on it.
import { Aggregate, Command, Conflict, defineEvent, EventHandler, type UniqueValues } from '@escf/core';
import { z } from 'zod';

/** The email is personal data: sensitive, and sealed at rest by the Member host (crypto-shredding). */
export const MemberJoined = defineEvent('MemberJoined', z.object({ email: z.string() }), { sensitive: ['email'] });
export const MemberEmailChanged = defineEvent('MemberEmailChanged', z.object({ email: z.string() }));
export const MemberLeft = defineEvent('MemberLeft', z.object({}));

export type MemberState = { readonly status: 'new' | 'active' | 'left'; readonly email: string | null };

export class Member extends Aggregate<MemberState> {
  static readonly type = 'Member';
  /** One active member per address (compared case-insensitively); a member that left frees it. */
  static readonly unique: UniqueValues<MemberState> = { email: (s) => (s.status === 'active' ? s.email : null) };

  protected initialState(): MemberState {
    return { status: 'new', email: null };
  }

  @Command(z.object({ email: z.string().min(3).max(320) }), { emits: [MemberJoined] })
  join(input: { email: string }) {
    if (this.state.status !== 'new') throw new Conflict('Already a member');
    return new MemberJoined({ email: input.email });
  }

  @Command(z.object({ email: z.string().min(3).max(320) }), { emits: [MemberEmailChanged] })
  changeEmail(input: { email: string }) {
    if (this.state.status !== 'active') throw new Conflict('Not an active member');
    return new MemberEmailChanged({ email: input.email });
  }

  @Command(z.object({}), { emits: [MemberLeft] })
  leave() {
    if (this.state.status !== 'active') throw new Conflict('Not an active member');
    return new MemberLeft({});
  }

  @EventHandler(MemberJoined)
  protected joined(e: { email: string }): MemberState {
    return { status: 'active', email: e.email };
  }

  @EventHandler(MemberEmailChanged)
  protected emailChanged(e: { email: string }): MemberState {
    return { ...this.state, email: e.email };
  }

  @EventHandler(MemberLeft)
  protected left(): MemberState {
    return { ...this.state, status: 'left' };
  }
}
