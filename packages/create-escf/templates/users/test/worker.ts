// The API worker and both projections in one workerd worker, for the
// integration tests: test/wrangler.jsonc binds USERS and SESSIONS to this
// worker's projection entrypoints, so commands and queries take the same
// paths as deployed. (The email process, fed by its queue, runs in `npm run dev`.)
export { default, UserAggregate } from '../workers/api/src/escf.generated.js';
export { UsersProjectionEntrypoint } from '../workers/users/src/escf.generated.js';
export { SessionServiceEntrypoint } from '../workers/sessions/src/escf.generated.js';
