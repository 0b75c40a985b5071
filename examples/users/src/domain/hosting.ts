/**
 * How the User aggregate's Durable Object is hosted beyond what `escf
 * generate` derives (see `options` in escf.config.ts): its unique emails
 * are claimed in the `UniqueValueClaims` objects bound as UNIQUE_VALUES,
 * which ask users back through USER_AGGREGATE.
 */
export const userAggregateOptions = {
  uniqueness: { claims: 'UNIQUE_VALUES', owner: 'USER_AGGREGATE' },
} as const;
