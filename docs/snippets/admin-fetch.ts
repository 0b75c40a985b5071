import type { AdminEntrypointClass } from '@escf/cloudflare/admin';

interface Env {
  ADMIN: Service<InstanceType<AdminEntrypointClass<object>>>;
  ADMIN_TOKEN: string;
}

/** Forwards an operator's script to the admin entrypoint over HTTP. */
export function projections(env: Env): Promise<Response> {
  return env.ADMIN.fetch('https://admin/projections', {
    method: 'POST',
    headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
  });
}
