/**
 * How the User aggregate's Durable Object is hosted beyond what `escf
 * generate` derives (see `options` in escf.config.ts): its unique emails
 * are claimed in the `UniqueValueClaims` objects bound as UNIQUE_VALUES,
 * which ask users back through USER_AGGREGATE; and which subscribers
 * receive which sensitive fields.
 */
export const userAggregateOptions = {
  uniqueness: { claims: 'UNIQUE_VALUES', owner: 'USER_AGGREGATE' },
  // Sensitive fields reach only who needs them: the email process gets the
  // verification token it mails, the sessions projection the token hashes
  // it looks sessions up by. Nobody else gets those, and nobody the password hash.
  sensitiveReceivers: {
    SEND_EMAIL_VERIFICATION_QUEUE: ['UserEmailVerificationIssued'],
    SESSIONS: ['UserSignedIn'],
  },
} as const;
