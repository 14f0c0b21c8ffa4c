"""Store plumbing: the engine, the tables, migrations, full-text search, maintenance. The only SQL in the app."""
