import { Aggregate, Command, Conflict, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { z } from 'zod';

const CreateUser = z.object({ name: z.string().min(1), email: z.string().email() });
const UserCreated = defineEvent('UserCreated', z.object({ name: z.string(), email: z.string() }));
type UserCreated = PayloadOf<typeof UserCreated>;
const UserEmailVerificationIssued = defineEvent('UserEmailVerificationIssued', z.object({ email: z.string() }));

type UserState = { status: 'new' } | { status: 'active'; name: string; email: string };

export class User extends Aggregate<UserState> {
  static readonly type = 'User'; // 1. a stable type name

  protected initialState(): UserState {
    // 2. the state before any event
    return { status: 'new' };
  }

  @Command(CreateUser, { emits: [UserCreated, UserEmailVerificationIssued] })
  async create(input: z.infer<typeof CreateUser>) {
    // 3. commands decide
    if (this.state.status !== 'new') throw new Conflict('User already exists', { code: 'USER_EXISTS' });
    return [new UserCreated({ ...input }), new UserEmailVerificationIssued({ email: input.email })];
  }

  @EventHandler(UserCreated)
  protected created(e: UserCreated): UserState {
    // 4. handlers apply
    return { status: 'active', name: e.name, email: e.email };
  }

  @EventHandler(UserEmailVerificationIssued)
  protected issued(): UserState {
    return this.state;
  }
}
