import { z } from 'zod';

/**
 * The shapes the API answers with, as schemas: the OpenAPI document
 * describes them and the compiler checks each route's handler returns them.
 */
export const UserView = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.email(),
  emailVerified: z.boolean(),
  createdAt: z.iso.datetime(),
});

export const SessionView = z.object({
  sessionId: z.string(),
  expiresAt: z.iso.datetime(),
  user: z.object({ userId: z.string(), name: z.string(), email: z.email() }),
});

/** `POST /sessions`: the bearer token (in the body only, never in a URL or a log) and its session. */
export const SignedIn = z.object({ token: z.string(), session: SessionView });

export const SignedOut = z.object({ signedOut: z.literal(true) });

/** The same answer whether the address exists or not. */
export const Accepted = z.object({ accepted: z.literal(true) });
