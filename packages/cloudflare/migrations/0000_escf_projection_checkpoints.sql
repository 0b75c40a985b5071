CREATE TABLE IF NOT EXISTS escf_projection_streams (
  projection TEXT NOT NULL,
  stream TEXT NOT NULL,
  version INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  position INTEGER,
  PRIMARY KEY (projection, stream)
) WITHOUT ROWID;
DROP TRIGGER IF EXISTS escf_projection_streams_first;
DROP TRIGGER IF EXISTS escf_projection_streams_next;
CREATE TRIGGER IF NOT EXISTS escf_projection_streams_start BEFORE INSERT ON escf_projection_streams
  WHEN NOT (NEW.version = 1 OR (NEW.event_id = '' AND NEW.position = 0))
    AND NOT EXISTS (SELECT 1 FROM escf_projection_streams WHERE projection = NEW.projection AND stream = NEW.stream)
  BEGIN SELECT RAISE(ABORT, 'escf_checkpoint_out_of_order'); END;
CREATE TRIGGER IF NOT EXISTS escf_projection_streams_advance BEFORE UPDATE ON escf_projection_streams
  WHEN NEW.version <> OLD.version + 1 AND NOT (NEW.event_id = OLD.event_id AND NEW.version > OLD.version)
  BEGIN SELECT RAISE(ABORT, 'escf_checkpoint_out_of_order'); END;
CREATE TABLE IF NOT EXISTS escf_projection_failures (
  projection TEXT NOT NULL,
  stream TEXT NOT NULL,
  version INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  dead_lettered INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (projection, stream)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS escf_projection_rebuilds (
  projection TEXT PRIMARY KEY,
  generation INTEGER NOT NULL,
  status TEXT NOT NULL,
  cursor INTEGER NOT NULL,
  applied INTEGER NOT NULL,
  target INTEGER,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE TABLE IF NOT EXISTS escf_projection_rebuild_shards (
  projection TEXT NOT NULL,
  shard INTEGER NOT NULL,
  cursor INTEGER NOT NULL,
  PRIMARY KEY (projection, shard)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS escf_projection_shard_positions (
  projection TEXT NOT NULL,
  shard INTEGER NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (projection, shard)
) WITHOUT ROWID;
