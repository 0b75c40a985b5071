import { projectionEntrypoint } from '@escf/cloudflare';
import { SessionService } from '../../examples/users/workers/sessions/src/session-service.js';

export const SessionsEntrypoint = projectionEntrypoint(SessionService, { standbyDatabase: 'SESSIONS_DB_NEXT' });
