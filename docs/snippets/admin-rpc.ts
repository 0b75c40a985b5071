import type { AdminEntrypointClass } from '@escf/cloudflare/admin';

/** A worker of your own with a service binding to the API worker's `EscfAdmin` entrypoint. */
interface Env {
  ADMIN: Service<InstanceType<AdminEntrypointClass<object>>>;
  ADMIN_TOKEN: string;
}

export async function readStream(env: Env, id: string) {
  return env.ADMIN.stream({ token: env.ADMIN_TOKEN, actor: 'ops-bot' }, { aggregateType: 'User', aggregateId: id });
}
