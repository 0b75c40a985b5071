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

/** Input of `User.fulfillEmailVerification`. */
export const FulfillEmailVerification = z.object({ token: z.string().min(1).max(200) }).strict();
export type FulfillEmailVerification = z.infer<typeof FulfillEmailVerification>;
