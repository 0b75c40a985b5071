// A small aggregate with a state union, required and optional inputs and a
// helper method that is not a command: the typed client's type tests use it.
import { Aggregate, Command, Conflict, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { z } from 'zod';

export const MemberJoined = defineEvent('MemberJoined', z.object({ name: z.string(), email: z.string() }));
export type MemberJoined = PayloadOf<typeof MemberJoined>;
export const MemberRenamed = defineEvent('MemberRenamed', z.object({ name: z.string() }));
export type MemberRenamed = PayloadOf<typeof MemberRenamed>;
export const MemberLeft = defineEvent('MemberLeft', z.object({}));

export type MemberState = { status: 'new' } | { status: 'active'; name: string } | { status: 'left' };

export class Member extends Aggregate<MemberState> {
  static readonly type = 'Member';
  protected initialState(): MemberState {
    return { status: 'new' };
  }

  @Command(z.object({ name: z.string(), email: z.string().email(), password: z.string().min(8) }), {
    emits: [MemberJoined],
  })
  create(input: { name: string; email: string; password: string }) {
    if (this.state.status !== 'new') throw new Conflict('Member already exists');
    return new MemberJoined({ name: input.name, email: input.email });
  }

  @Command(z.object({ name: z.string().optional() }), { emits: [MemberRenamed] })
  update(input: { name?: string }) {
    this.existing();
    return input.name === undefined ? [] : new MemberRenamed({ name: input.name });
  }

  @Command(z.object({}), { emits: [MemberLeft] })
  delete() {
    this.existing();
    return new MemberLeft({});
  }

  /** A helper, not a command: not on the client. */
  protected existing(): void {
    if (this.state.status !== 'active') throw new Conflict('No such member');
  }

  @EventHandler(MemberJoined)
  protected joined(e: MemberJoined): MemberState {
    return { status: 'active', name: e.name };
  }

  @EventHandler(MemberRenamed)
  protected renamed(e: MemberRenamed): MemberState {
    return { status: 'active', name: e.name };
  }

  @EventHandler(MemberLeft)
  protected left(): MemberState {
    return { status: 'left' };
  }
}
