-- The tasks read model (src/tasks-projection.ts).
CREATE TABLE IF NOT EXISTS tasks (
  task_id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  added_at TEXT NOT NULL
);
