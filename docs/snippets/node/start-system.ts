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
