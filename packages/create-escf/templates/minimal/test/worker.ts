// The API worker and the tasks projection in one workerd worker, for the
// integration tests: test/wrangler.jsonc binds TASKS to this worker's
// projection entrypoint, so commands reach the projection as they do deployed.
export { default, TaskAggregate } from '../workers/api/src/escf.generated.js';
export { TasksProjectionEntrypoint } from '../workers/tasks/src/escf.generated.js';
