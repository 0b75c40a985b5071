// What core must run unchanged inside workerd: experimental decorators, a
// class-validator DTO input, zod events, and an async command using Web Crypto.
import '@escf/core/class-validator';
import { Aggregate, Command, Conflict, DomainEvent, defineEvent, Event, EventHandler, Unauthorized } from '@escf/core';
import { IsEmail, IsString, MinLength } from 'class-validator';
import { z } from 'zod';

export class JoinMember {
  @IsString() @MinLength(1) name!: string;
  @IsEmail() email!: string;
  @IsString() @MinLength(8) password!: string;
}

@Event('MemberJoined')
export class MemberJoined extends DomainEvent<MemberJoined> {
  @IsString() name!: string;
  @IsString() passwordHash!: string;
}
export const WelcomeIssued = defineEvent('WelcomeIssued', z.object({ email: z.string() }));
export const MemberAuthenticated = defineEvent('MemberAuthenticated', z.object({}));

type MemberState = { status: 'new' } | { status: 'active'; name: string; passwordHash: string };

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class Member extends Aggregate<MemberState> {
  static readonly type = 'Member';
  protected initialState(): MemberState {
    return { status: 'new' };
  }

  @Command(JoinMember, { emits: [MemberJoined, WelcomeIssued] })
  async create(input: JoinMember) {
    if (this.state.status !== 'new') throw new Conflict('Member already exists');
    return [
      new MemberJoined({ name: input.name, passwordHash: await sha256(input.password) }),
      new WelcomeIssued({ email: input.email }),
    ];
  }

  @Command(z.object({ password: z.string() }), { emits: [MemberAuthenticated] })
  async authenticate(input: { password: string }) {
    if (this.state.status !== 'active' || (await sha256(input.password)) !== this.state.passwordHash)
      throw new Unauthorized('Wrong password');
    return new MemberAuthenticated({});
  }

  @EventHandler(MemberJoined)
  protected joined(e: MemberJoined): MemberState {
    return { status: 'active', name: e.name, passwordHash: e.passwordHash };
  }

  @EventHandler(WelcomeIssued)
  protected welcomed(): MemberState {
    return this.state;
  }

  @EventHandler(MemberAuthenticated)
  protected authenticated(): MemberState {
    return this.state;
  }
}
