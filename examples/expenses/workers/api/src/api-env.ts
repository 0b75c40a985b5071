import type { EscfEnv } from './escf-env.generated.js';

/** The API worker's Hono environment: the generated bindings and the receipts bucket (declared by hand). */
export type ApiEnv = { Bindings: EscfEnv & { RECEIPTS: R2Bucket } };
