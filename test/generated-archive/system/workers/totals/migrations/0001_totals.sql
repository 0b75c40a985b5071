-- The totals read model (src/totals.ts).
CREATE TABLE IF NOT EXISTS totals (id TEXT PRIMARY KEY, balance INTEGER NOT NULL, entries INTEGER NOT NULL);
