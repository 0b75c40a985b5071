import { defineRetention, retention } from '@escf/core/retention';

// Each ledger keeps its last two events hot; its Durable Object also drops archived history.
export default defineRetention({
  default: retention.keepLastEvents(2),
  pruneDurableObjects: ['Ledger'],
});
