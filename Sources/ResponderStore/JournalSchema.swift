import GRDB

/// Versioned schema of the SQLite journal. Migrations are append-only: never edit a shipped one.
enum JournalSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-journal") { db in
            try db.execute(sql: """
                CREATE TABLE delivery (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    idempotency_key TEXT UNIQUE,
                    received_at TEXT NOT NULL,
                    details TEXT NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE TABLE alert (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    delivery_id INTEGER NOT NULL REFERENCES delivery(id),
                    idempotency_key TEXT NOT NULL UNIQUE,
                    source TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    status TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    annotations TEXT NOT NULL,
                    starts_at TEXT,
                    ends_at TEXT,
                    generator_url TEXT,
                    group_key TEXT,
                    receiver TEXT,
                    received_at TEXT NOT NULL
                );
                CREATE INDEX alert_by_fingerprint ON alert(source, fingerprint, id);
                """)
        }
        migrator.registerMigration("v2-alert-plan") { db in
            try db.execute(sql: "ALTER TABLE alert ADD COLUMN plan TEXT")
        }
        return migrator
    }
}
