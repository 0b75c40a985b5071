import { defineSystem } from '@escf/cli/config';
import users from '../../examples/users/escf.config.js';

const { workers } = users; // api, users, sessions, email: as in examples/users/escf.config.ts

// docs/operating-at-scale.md: retention and archiving, switched on in the system definition.
// #region archive
// escf.config.ts
export default defineSystem({
  name: 'users',
  workers,
  archive: {
    retention: './src/retention.ts', // its default export: defineRetention({ … })
    schedule: '*/15 * * * *', // when the archiver runs (a cron trigger, UTC)
    bucket: 'users-event-archive', // optional; default '<name>-event-archive'
  },
});
// #endregion
