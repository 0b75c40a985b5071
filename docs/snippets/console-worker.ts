// workers/console/src/escf.generated.ts, as `escf generate` writes it
import { consoleWorker } from '@escf/console';

export default consoleWorker({ system: 'users', admin: 'ESCF_ADMIN' });
