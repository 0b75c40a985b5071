-- ESCF event store (D1): the shared, ordered log of every event.
-- One row per drained batch of one aggregate: `events` holds the batch as a
-- JSON array and `position` is the global position of its first event, so
-- event i of a row has position `position + i` and positions are dense.
-- Each insert writes 2 rows (table + stream index) for the whole batch.
CREATE TABLE IF NOT EXISTS escf_events (
  position INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL DEFAULT '',
  aggregate_type TEXT NOT NULL,
  aggregate_id TEXT NOT NULL,
  first_version INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  events TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS escf_events_stream ON escf_events (tenant_id, aggregate_type, aggregate_id, first_version);
