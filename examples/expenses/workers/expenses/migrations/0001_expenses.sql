CREATE TABLE IF NOT EXISTS expenses (expense_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, month TEXT, status TEXT NOT NULL, amount INTEGER, currency TEXT, merchant TEXT, date TEXT, reason TEXT);
