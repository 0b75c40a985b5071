CREATE TABLE IF NOT EXISTS escf_process_events (
  process TEXT NOT NULL,
  event_id TEXT NOT NULL,
  handled_at INTEGER NOT NULL,
  claimed_until INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (process, event_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS escf_process_streams (
  process TEXT NOT NULL,
  stream TEXT NOT NULL,
  version INTEGER NOT NULL,
  position INTEGER,
  PRIMARY KEY (process, stream)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS escf_process_failures (
  process TEXT NOT NULL,
  stream TEXT NOT NULL,
  version INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  dead_lettered INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (process, stream)
) WITHOUT ROWID;
