// #region start-system
import { startSystem } from '@escf/testing/system';
// #endregion

// docs/testing.md: a whole generated system in workerd (Node only; the path is relative to the repository root).
export async function signUp(input: { name: string; email: string; password: string }) {
  // #region start-system

  const system = await startSystem('examples/users'); // the directory of escf.config.ts
  const response = await system.fetch('/users', { method: 'POST', body: JSON.stringify(input) });
  await system.waitForLog(/Sending email verification/);
  const events = await system.d1('ESCF_EVENTS'); // a worker's D1, for assertions
  await system.stop();
  // #endregion
  return { response, events };
}

// docs/testing.md: profiling or debugging a worker of a running system.
export async function inspectable() {
  // #region inspector
  const system = await startSystem('examples/users', { inspectorPort: 9229 });
  // http://127.0.0.1:9229/json lists one target per worker ("workerd: worker core:user:users-api", …);
  // open chrome://inspect (Configure… → 127.0.0.1:9229) to profile or debug one.
  // #endregion
  return system;
}
