import type { EscfEnv } from './escf-env.generated.js';

/** The API worker's Hono environment: the bindings `escf generate` declares. */
export type ApiEnv = { Bindings: EscfEnv };
