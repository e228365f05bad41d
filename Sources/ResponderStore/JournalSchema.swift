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
        // Runs: indexed columns for the queries, the whole run as JSON in `body`.
        migrator.registerMigration("v3-runs") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id TEXT PRIMARY KEY NOT NULL,
                    playbook TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    ended_at TEXT,
                    alert_fingerprint TEXT NOT NULL,
                    targets TEXT NOT NULL,
                    body TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX run_by_status ON run(status);
                CREATE INDEX run_by_started_at ON run(started_at);
                CREATE INDEX run_by_ended_at ON run(ended_at);
                """)
        }
        // Calls the dry-run executor would have made; one per (run, step) so a step is recorded exactly once.
        migrator.registerMigration("v4-executor-calls") { db in
            try db.execute(sql: """
                CREATE TABLE executor_call (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    attempt INTEGER NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    target TEXT,
                    action TEXT NOT NULL,
                    value INTEGER,
                    request TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                );
                CREATE UNIQUE INDEX executor_call_by_step ON executor_call(run_id, step);
                CREATE INDEX executor_call_by_target ON executor_call(target, action, id);
                """)
        }
        migrator.registerMigration("v5-alert-processed") { db in
            // Alerts stored before this version were handled (or not) by a version without runs: never replay them.
            try db.execute(sql: """
                ALTER TABLE alert ADD COLUMN processed_at TEXT;
                UPDATE alert SET processed_at = received_at;
                CREATE INDEX alert_unprocessed ON alert(id) WHERE processed_at IS NULL;
                """)
        }
        migrator.registerMigration("v6-outbox") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    text TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at TEXT NOT NULL,
                    last_error TEXT,
                    created_at TEXT NOT NULL,
                    sent_at TEXT
                );
                CREATE INDEX outbox_pending ON outbox(run_id, channel, id) WHERE status = 'pending';
                CREATE INDEX outbox_by_run ON outbox(run_id, id);
                CREATE TABLE slack_message (
                    run_id TEXT PRIMARY KEY,
                    channel TEXT NOT NULL,
                    ts TEXT NOT NULL
                );
                CREATE TABLE action_token_use (
                    nonce TEXT PRIMARY KEY,
                    run_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    used_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v7-scheduled-events") { db in
            try db.execute(sql: """
                CREATE TABLE scheduled_event (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    playbook TEXT NOT NULL,
                    name TEXT NOT NULL,
                    start_at TEXT NOT NULL,
                    end_at TEXT NOT NULL,
                    time_zone TEXT,
                    prepare_at TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    annotations TEXT NOT NULL,
                    scheduled_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    prepared_at TEXT,
                    cancelled_at TEXT,
                    cancelled_by TEXT
                );
                CREATE INDEX scheduled_event_due ON scheduled_event(prepare_at)
                    WHERE cancelled_at IS NULL AND prepared_at IS NULL;
                CREATE INDEX scheduled_event_end ON scheduled_event(end_at);
                """)
        }
        migrator.registerMigration("v8-event-occurrences") { db in
            try db.execute(sql: """
                ALTER TABLE scheduled_event ADD COLUMN occurrence TEXT;
                ALTER TABLE scheduled_event ADD COLUMN prepared_revision INTEGER;
                ALTER TABLE scheduled_event ADD COLUMN cancel_mode TEXT;
                UPDATE scheduled_event SET prepared_revision = revision WHERE prepared_at IS NOT NULL;
                CREATE UNIQUE INDEX scheduled_event_occurrence ON scheduled_event(playbook, occurrence)
                    WHERE occurrence IS NOT NULL;
                CREATE INDEX scheduled_event_update ON scheduled_event(seq)
                    WHERE prepared_at IS NOT NULL AND prepared_revision < revision;
                CREATE INDEX run_by_fingerprint ON run(alert_fingerprint, started_at);
                """)
        }
        // Pauses (`pause-<number>`, numbers never reused) and the action ledger the blast-radius limits count: one
        // record per run and step, kept a day (``Guardrails/actionHorizon``), deleted through the index on `at`.
        migrator.registerMigration("v9-pauses-actions") { db in
            try db.execute(sql: """
                CREATE TABLE pause (
                    id TEXT PRIMARY KEY NOT NULL,
                    number INTEGER NOT NULL UNIQUE,
                    target TEXT,
                    direction TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    since TEXT NOT NULL,
                    until TEXT,
                    lifted_at TEXT,
                    lifted_by TEXT
                );
                CREATE INDEX pause_in_force ON pause(number) WHERE lifted_at IS NULL;
                CREATE INDEX pause_by_lifted_at ON pause(lifted_at) WHERE lifted_at IS NOT NULL;
                CREATE TABLE action_record (
                    run_id TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    playbook TEXT NOT NULL,
                    target TEXT,
                    at TEXT NOT NULL,
                    dry_run INTEGER NOT NULL,
                    PRIMARY KEY (run_id, step)
                );
                CREATE INDEX action_record_by_at ON action_record(at);
                """)
        }
        // Retention deletes oldest first through these indexes, and deleting a delivery checks its alerts through
        // `alert_by_delivery` (without it every delete would scan the alert table for the foreign key).
        migrator.registerMigration("v10-retention") { db in
            try db.execute(sql: """
                CREATE INDEX delivery_by_received_at ON delivery(received_at);
                CREATE INDEX delivery_body_kept ON delivery(received_at) WHERE body != '';
                CREATE INDEX alert_by_delivery ON alert(delivery_id);
                CREATE INDEX alert_by_received_at ON alert(received_at);
                CREATE INDEX action_token_use_by_used_at ON action_token_use(used_at);
                """)
        }
        return migrator
    }
}
