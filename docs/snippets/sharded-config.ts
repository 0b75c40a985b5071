import { defineSystem } from '@escf/cli/config';
import users from '../../examples/users/escf.config.js';

const { workers } = users; // api, users, sessions, email: as in examples/users/escf.config.ts

// docs/operating-at-scale.md: the event store spread over four D1 databases.
// #region shards
// escf.config.ts
export default defineSystem({ name: 'users', shards: 4, workers });
// #endregion
