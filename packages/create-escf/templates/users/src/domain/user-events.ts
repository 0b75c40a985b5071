import '@escf/core/class-validator';
import { DomainEvent, defineEvent, Event, type PayloadOf } from '@escf/core';
import { IsEmail, IsString, MinLength } from 'class-validator';
import { z } from 'zod';

// Class-based events: fields validated with class-validator.

/** A user signed up. The password hash is sensitive: only subscribers that declare they need it receive it. */
@Event('UserCreated', { sensitive: ['passwordHash'] })
export class UserCreated extends DomainEvent<UserCreated> {
  @IsString() @MinLength(1) name!: string;
  @IsEmail() email!: string;
  @IsString() passwordHash!: string;
}

// Schema-based events: any Standard Schema, here zod 4.

/** Name and/or email changed. */
export const UserUpdated = defineEvent(
  'UserUpdated',
  z.object({ name: z.string().min(1).optional(), email: z.email().optional() }),
);
export type UserUpdated = PayloadOf<typeof UserUpdated>;

/** The user was deleted; nothing can happen to it afterwards. */
export const UserDeleted = defineEvent('UserDeleted', z.object({}));
export type UserDeleted = PayloadOf<typeof UserDeleted>;

/** The user proved their password (stored by earlier versions; sign-in now records {@link UserSignedIn}). */
export const UserAuthenticated = defineEvent('UserAuthenticated', z.object({}));
export type UserAuthenticated = PayloadOf<typeof UserAuthenticated>;

/**
 * The user proved their password and a session opened: the sessions
 * projection is built from these events, so a rebuild restores every
 * session. Only the token's SHA-256 is stored.
 */
export const UserSignedIn = defineEvent(
  'UserSignedIn',
  z.object({ sessionId: z.string(), tokenHash: z.string(), expiresAt: z.number().int() }),
  { sensitive: ['tokenHash'] },
);
export type UserSignedIn = PayloadOf<typeof UserSignedIn>;

/** A session ended (logout). */
export const UserSignedOut = defineEvent('UserSignedOut', z.object({ sessionId: z.string() }));
export type UserSignedOut = PayloadOf<typeof UserSignedOut>;

/** A token was issued to verify a (new) email address; it expires. */
export const UserEmailVerificationIssued = defineEvent(
  'UserEmailVerificationIssued',
  z.object({
    token: z.string().min(16),
    newEmail: z.email(),
    oldEmail: z.email().nullable(),
    expiresAt: z.number().int().nullable(),
  }),
  { sensitive: ['token'] },
);
export type UserEmailVerificationIssued = PayloadOf<typeof UserEmailVerificationIssued>;

/** The user proved they own the email address. */
export const UserEmailVerificationFulfilled = defineEvent('UserEmailVerificationFulfilled', z.object({}));
export type UserEmailVerificationFulfilled = PayloadOf<typeof UserEmailVerificationFulfilled>;
