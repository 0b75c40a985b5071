import { defineSystem } from '@escf/cli/config';
import { User } from './src/domain/index.js';
import { SendEmailVerificationProcess } from './workers/email/src/send-email-verification-process.js';
import { SessionService } from './workers/sessions/src/session-service.js';
import { UsersProjection } from './workers/users/src/users-projection.js';

// The seed 000 system: `npx escf generate` turns this into each worker's entry
// module, Env type, D1 migrations and wrangler.jsonc bindings.
export default defineSystem({
  name: 'users',
  compatibilityDate: '2026-11-01',
  workers: {
    // The REST API; it hosts the User aggregate's Durable Objects.
    api: {
      kind: 'api',
      dir: 'workers/api',
      from: './src/domain/index.ts',
      entry: './workers/api/src/app.ts',
      aggregates: [User],
      // Unique emails (User.unique) and the bindings the aggregate's Durable Object needs for them.
      options: 'userAggregateOptions',
      // Abuse limits (workers/api/src/rate-limits.ts): sign-in attempts and verification emails.
      rateLimits: {
        AUTH_RATE_LIMITER: { limit: 5, period: 60, namespaceId: 1001 },
        EMAIL_RATE_LIMITER: { limit: 3, period: 60, namespaceId: 1002 },
        AUTH_IP_RATE_LIMITER: { limit: 60, period: 60, namespaceId: 1003 },
      },
    },
    // Read model of users. Direct delivery: the API's commands wait for it (read-your-writes).
    users: {
      kind: 'projection',
      dir: 'workers/users',
      from: './workers/users/src/users-projection.ts',
      projection: UsersProjection,
      delivery: 'sync',
    },
    // Sessions (seed 000's SessionService), built from the User's sign-in/out events.
    sessions: {
      kind: 'projection',
      dir: 'workers/sessions',
      from: './workers/sessions/src/session-service.ts',
      projection: SessionService,
      delivery: 'sync',
    },
    // Sends the verification email; fed by its own queue.
    email: {
      kind: 'process',
      dir: 'workers/email',
      from: './workers/email/src/send-email-verification-process.ts',
      process: SendEmailVerificationProcess,
      options: 'sendEmailVerificationOptions',
    },
  },
  // The ESCF console (its own worker, http://localhost:8788 under `npm run dev`), bound to the API worker's admin entrypoint.
  console: { dir: 'workers/console' },
  // OpenTelemetry traces of every worker: on once ESCF_OTLP_ENDPOINT is set (a var per environment, or .dev.vars),
  // with the exporter's API key in the OTLP_HEADERS secret (`x-honeycomb-team=…`).
  tracing: { headersSecret: 'OTLP_HEADERS', sampleRatio: 1 },
});
