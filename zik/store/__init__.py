"""SQLite storage: the connection, migrations, and queries named for what they do. Knows tables, not rules."""
