import { defineSystem } from '@escf/cli/config';
import users from '../../examples/users/escf.config.js';

const { workers } = users;

// docs/observability.md: tracing is one option of the system.
// #region tracing
export default defineSystem({
  name: 'users',
  workers, // api, users, sessions, email: as in examples/users/escf.config.ts
  tracing: {
    endpoint: 'https://api.honeycomb.io/v1/traces', // any OTLP/HTTP traces endpoint; optional here
    headersSecret: 'OTLP_HEADERS', // the NAME of a secret holding the export headers
    sampleRatio: 0.1, // head sampling of new traces (default 1)
  },
});
// #endregion
