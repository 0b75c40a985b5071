import { projectionClients } from '@escf/cloudflare';
import type { EscfProjections } from './escf-env.generated.js';

/**
 * Typed clients of the projections the API queries:
 * `projections(c.env).USERS.get(id)` returns the projection method's value or
 * throws its ESCF error (`NotFound`, `Unauthorized`…), code intact.
 */
export const projections = (env: object) => projectionClients<EscfProjections>(env);
