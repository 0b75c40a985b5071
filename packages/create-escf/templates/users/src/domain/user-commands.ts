import '@escf/core/class-validator';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { z } from 'zod';

// Command inputs: a class-validator DTO and zod schemas, side by side.

/** Input of `User.create`. */
export class CreateUser {
  @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @IsEmail() @MaxLength(320) email!: string;
  @IsString() @MinLength(8) @MaxLength(200) password!: string;
}

/** Input of `User.update`: any subset of name and email. */
export const UpdateUser = z
  .object({ name: z.string().min(1).max(200).optional(), email: z.email().max(320).optional() })
  .strict();
export type UpdateUser = z.infer<typeof UpdateUser>;

/** Input of `User.delete`. */
export const DeleteUser = z.object({}).strict();

/** Input of `User.authenticate`. */
export const Authenticate = z.object({ password: z.string().min(1).max(200) }).strict();
export type Authenticate = z.infer<typeof Authenticate>;

/**
 * Input of `User.signIn`: the password, and the SHA-256 of the session
 * token the API handed out (the token itself is never stored).
 */
export const SignIn = z
  .object({ password: z.string().min(1).max(200), tokenHash: z.string().regex(/^[0-9a-f]{64}$/) })
  .strict();
export type SignIn = z.infer<typeof SignIn>;

/** Input of `User.signOut`. */
export const SignOut = z.object({ sessionId: z.string().min(1).max(100) }).strict();
export type SignOut = z.infer<typeof SignOut>;

/** Input of `User.fulfillEmailVerification`. */
export const FulfillEmailVerification = z.object({ token: z.string().min(1).max(200) }).strict();
export type FulfillEmailVerification = z.infer<typeof FulfillEmailVerification>;

/** Input of `User.resendEmailVerification`. */
export const ResendEmailVerification = z.object({}).strict();
