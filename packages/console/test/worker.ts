// The console worker alone, for its sign-in and session rules (the admin entrypoint is tested in @escf/cloudflare).
import { consoleWorker } from '../src/index.js';

export default consoleWorker({ system: 'test-system' });
/** Same worker, reading a password secret that is not set: nobody may sign in. */
export const unconfigured = consoleWorker({ system: 'test-system', password: 'NO_SUCH_SECRET' });
