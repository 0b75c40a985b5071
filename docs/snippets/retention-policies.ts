// src/retention.ts — the module `archive.retention` names in escf.config.ts.
import { defineRetention, retention } from '@escf/core/retention';

// Keep 90 days hot by default; users keep their last 1,000 events and also
// drop archived history from their own Durable Object storage.
export default defineRetention({
  default: retention.keepDays(90),
  aggregates: { User: retention.keepLastEvents(1_000) },
  pruneDurableObjects: ['User'],
});
