import Foundation
import Logging
import PostgresNIO
import ResponderCore

/// Versioned schema of the PostgreSQL store. Migrations are append-only: never edit a shipped one. They are applied
/// in one transaction under an advisory lock, so replicas starting together apply each exactly once.
enum PostgresSchema {
    /// Advisory lock key held while migrating (any constant other code does not use).
    static let migrationLock: Int64 = 0x5265_7370_6F6E_0001
    /// Advisory lock key of ``RunScope/alerts(endedSince:candidates:touching:)`` transactions: one alert batch at a time.
    static let alertLock: Int64 = 0x5265_7370_6F6E_0002
    /// Advisory lock key of the action ledger, taken by every run transaction before it reads the actions its limits
    /// count (see ``PostgresStore/guardrails(at:unreadable:on:logger:)``).
    static let ledgerLock: Int64 = 0x5265_7370_6F6E_0004

    /// The migrations, oldest first. Instants are `timestamptz`; JSON bodies are text, as in the SQLite journal, so
    /// the same coders read both.
    static let migrations: [(version: String, statements: [String])] = [
        ("v1-shared-store", [
            """
            CREATE TABLE delivery (
                id bigserial PRIMARY KEY,
                kind text NOT NULL,
                idempotency_key text UNIQUE,
                received_at timestamptz NOT NULL,
                details text NOT NULL,
                body text NOT NULL
            )
            """,
            """
            CREATE TABLE alert (
                id bigserial PRIMARY KEY,
                delivery_id bigint NOT NULL REFERENCES delivery(id),
                idempotency_key text NOT NULL UNIQUE,
                source text NOT NULL,
                fingerprint text NOT NULL,
                status text NOT NULL,
                labels text NOT NULL,
                annotations text NOT NULL,
                starts_at timestamptz,
                ends_at timestamptz,
                generator_url text,
                group_key text,
                receiver text,
                received_at timestamptz NOT NULL,
                plan text,
                processed_at timestamptz
            )
            """,
            "CREATE INDEX alert_by_fingerprint ON alert(fingerprint, id)",
            "CREATE INDEX alert_unprocessed ON alert(id) WHERE processed_at IS NULL",
            """
            CREATE TABLE run (
                id text PRIMARY KEY,
                number bigint NOT NULL,
                playbook text NOT NULL,
                kind text NOT NULL,
                status text NOT NULL,
                started_at timestamptz NOT NULL,
                ended_at timestamptz,
                alert_fingerprint text NOT NULL,
                targets text NOT NULL,
                body text NOT NULL,
                updated_at timestamptz NOT NULL,
                due_at timestamptz,
                lease_owner text,
                lease_until timestamptz
            )
            """,
            "CREATE INDEX run_due ON run(due_at) WHERE status IN ('active', 'held') AND lease_owner IS NULL",
            "CREATE INDEX run_leased ON run(lease_until) WHERE status IN ('active', 'held') AND lease_owner IS NOT NULL",
            "CREATE INDEX run_by_status ON run(status, started_at)",
            "CREATE INDEX run_by_started_at ON run(started_at)",
            "CREATE INDEX run_by_ended_at ON run(ended_at)",
            "CREATE INDEX run_by_number ON run(number)",
            """
            CREATE TABLE executor_call (
                id bigserial PRIMARY KEY,
                run_id text NOT NULL,
                step integer NOT NULL,
                attempt integer NOT NULL,
                idempotency_key text NOT NULL UNIQUE,
                target text,
                action text NOT NULL,
                value integer,
                request text NOT NULL,
                recorded_at timestamptz NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX executor_call_by_step ON executor_call(run_id, step)",
            "CREATE INDEX executor_call_by_target ON executor_call(target, action, id)",
            """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                run_id text NOT NULL,
                channel text NOT NULL,
                kind text NOT NULL,
                text text NOT NULL,
                status text NOT NULL DEFAULT 'pending',
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                last_error text,
                created_at timestamptz NOT NULL,
                sent_at timestamptz
            )
            """,
            "CREATE INDEX outbox_pending ON outbox(run_id, channel, id) WHERE status = 'pending'",
            "CREATE INDEX outbox_pending_due ON outbox(next_attempt_at) WHERE status = 'pending'",
            "CREATE INDEX outbox_by_run ON outbox(run_id, id)",
            "CREATE TABLE slack_message (run_id text PRIMARY KEY, channel text NOT NULL, ts text NOT NULL)",
            """
            CREATE TABLE action_token_use (
                nonce text PRIMARY KEY,
                run_id text NOT NULL,
                action text NOT NULL,
                actor text NOT NULL,
                used_at timestamptz NOT NULL
            )
            """,
        ]),
        // An alert batch reads only the runs it can touch (``RunFootprint``): open runs by fingerprint or by target
        // (an array the GIN index answers `&&` with), ended runs by playbook and end.
        ("v2-runs-by-footprint", [
            "ALTER TABLE run ADD COLUMN target_list text[] NOT NULL DEFAULT '{}'",
            "UPDATE run SET target_list = ARRAY(SELECT json_array_elements_text(targets::json))",
            "CREATE INDEX run_open_by_fingerprint ON run(alert_fingerprint) WHERE status IN ('active', 'held')",
            "CREATE INDEX run_open_by_target ON run USING gin (target_list) WHERE status IN ('active', 'held')",
            "CREATE INDEX run_ended_by_playbook ON run(playbook, ended_at) WHERE ended_at IS NOT NULL",
        ]),
        // Scheduled events (``EventStore``): `evt-<seq>`, prepared once by whichever replica gets there first.
        ("v3-scheduled-events", [
            """
            CREATE TABLE scheduled_event (
                seq bigserial PRIMARY KEY,
                playbook text NOT NULL,
                name text NOT NULL,
                start_at timestamptz NOT NULL,
                end_at timestamptz NOT NULL,
                time_zone text,
                prepare_at timestamptz NOT NULL,
                labels text NOT NULL,
                annotations text NOT NULL,
                scheduled_by text NOT NULL,
                created_at timestamptz NOT NULL,
                revision integer NOT NULL,
                prepared_at timestamptz,
                cancelled_at timestamptz,
                cancelled_by text
            )
            """,
            "CREATE INDEX scheduled_event_due ON scheduled_event(prepare_at) WHERE cancelled_at IS NULL AND prepared_at IS NULL",
            "CREATE INDEX scheduled_event_end ON scheduled_event(end_at)",
        ]),
        // Occurrences of playbook schedules (created once each), and runs told of a move or cancellation.
        ("v4-event-occurrences", [
            "ALTER TABLE scheduled_event ADD COLUMN occurrence text",
            "ALTER TABLE scheduled_event ADD COLUMN prepared_revision integer",
            "ALTER TABLE scheduled_event ADD COLUMN cancel_mode text",
            "UPDATE scheduled_event SET prepared_revision = revision WHERE prepared_at IS NOT NULL",
            """
            CREATE UNIQUE INDEX scheduled_event_occurrence ON scheduled_event(playbook, occurrence)
                WHERE occurrence IS NOT NULL
            """,
            """
            CREATE INDEX scheduled_event_update ON scheduled_event(seq)
                WHERE prepared_at IS NOT NULL AND prepared_revision < revision
            """,
            "CREATE INDEX run_by_fingerprint ON run(alert_fingerprint, started_at)",
        ]),
        // Pauses (`pause-<number>`, numbered from a sequence so replicas never share or reuse a number) and the action
        // ledger the blast-radius limits count: one record per run and step, kept a day, deleted through the index on `at`.
        ("v5-pauses-actions", [
            "CREATE SEQUENCE pause_number AS bigint",
            """
            CREATE TABLE pause (
                id text PRIMARY KEY,
                number bigint NOT NULL UNIQUE,
                target text,
                direction text NOT NULL,
                mode text NOT NULL,
                reason text NOT NULL,
                created_by text NOT NULL,
                since timestamptz NOT NULL,
                until timestamptz,
                lifted_at timestamptz,
                lifted_by text
            )
            """,
            "CREATE INDEX pause_in_force ON pause(number) WHERE lifted_at IS NULL",
            "CREATE INDEX pause_by_lifted_at ON pause(lifted_at) WHERE lifted_at IS NOT NULL",
            """
            CREATE TABLE action_record (
                run_id text NOT NULL,
                step integer NOT NULL,
                playbook text NOT NULL,
                target text,
                at timestamptz NOT NULL,
                dry_run boolean NOT NULL,
                PRIMARY KEY (run_id, step)
            )
            """,
            "CREATE INDEX action_record_by_at ON action_record(at)",
        ]),
        // Retention deletes oldest first through these; deleting a delivery checks its alerts through alert_by_delivery.
        ("v6-retention", [
            "CREATE INDEX delivery_by_received_at ON delivery(received_at)",
            "CREATE INDEX delivery_body_kept ON delivery(received_at) WHERE body <> ''",
            "CREATE INDEX alert_by_delivery ON alert(delivery_id)",
            "CREATE INDEX alert_by_received_at ON alert(received_at)",
            "CREATE INDEX action_token_use_by_used_at ON action_token_use(used_at)",
        ]),
    ]

    /// Connects once (so an unreachable server or a bad login fails at once, naming what to fix) and applies the
    /// migrations the database lacks.
    static func migrate(url: PostgresURL, logger: Logger) async throws(JournalError) {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: try PostgresTLS.connection(url)
        )
        configuration.options.connectTimeout = .seconds(10)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw PostgresErrors.map(error, doing: "connect", url: url)
        }
        do {
            try await apply(on: connection, logger: logger)
            try? await connection.close()
        } catch {
            try? await connection.close()
            throw PostgresErrors.map(error, doing: "migrate the database schema", url: url)
        }
    }

    /// Applies the missing migrations on `connection` in one transaction; refuses a database that has migrations
    /// this version does not know (a newer version used it). An up-to-date schema is only read, so a read-only
    /// database still opens (and reports itself through ``PostgresStore/checkWritable()``).
    static func apply(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            var applied = try await appliedVersions(on: connection, logger: logger)
            if !Set(migrations.map(\.version)).isSubset(of: applied ?? []) {
                try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL)
                    """, logger: logger)
                // Another replica may have migrated while this one waited for the lock: read again under it.
                applied = try await appliedVersions(on: connection, logger: logger)
            }
            let done = Set(applied ?? [])
            let unknown = done.subtracting(migrations.map(\.version)).sorted()
            guard unknown.isEmpty else {
                throw JournalError.incompatible(
                    "the database has schema migration(s) \(unknown.joined(separator: ", ")) this version of Responder does not "
                        + "know: a newer version has used it; run that version (or newer), or point this one at another database"
                )
            }
            for migration in migrations where !done.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(migration.version), now())", logger: logger
                )
                logger.info("applied PostgreSQL schema migration", metadata: ["version": "\(migration.version)"])
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// The versions in `schema_migrations`, nil when the table does not exist yet.
    private static func appliedVersions(on connection: PostgresConnection, logger: Logger) async throws -> [String]? {
        let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            .collect().first?.decode(Bool.self) ?? false
        guard exists else { return nil }
        var versions: [String] = []
        for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(String.self) {
            versions.append(version)
        }
        return versions
    }
}
