import Foundation
import ResponderCore
import ResponderPostgres
import ResponderTestSupport
import Testing

@Suite("PostgreSQL URL, connection errors and migrations")
struct PostgresConnectTests {
    struct Valid: Sendable, CustomStringConvertible {
        var text: String
        var user: String
        var password: String?
        var host: String
        var port: Int
        var database: String
        var sslMode: PostgresURL.SSLMode
        var description: String { text }
    }

    static let valid: [Valid] = [
        Valid(text: "postgres://app:pw@db.internal:6432/responder?sslmode=require", user: "app", password: "pw", host: "db.internal",
              port: 6432, database: "responder", sslMode: .require),
        Valid(text: "postgresql://app@db/responder", user: "app", password: nil, host: "db", port: 5432, database: "responder",
              sslMode: .prefer),
        Valid(text: "postgres://a%40b:p%40ss%3Aw%2Fo%3Frd@10.0.0.5/r?sslmode=disable", user: "a@b", password: "p@ss:w/o?rd",
              host: "10.0.0.5", port: 5432, database: "r", sslMode: .disable),
        Valid(text: "postgres://app:p@ss?x@[::1]:5433/r?sslmode=verify-full", user: "app", password: "p@ss?x", host: "::1", port: 5433,
              database: "r", sslMode: .verifyFull),
        Valid(text: "POSTGRES://app:@h/d?sslmode=prefer", user: "app", password: "", host: "h", port: 5432, database: "d", sslMode: .prefer),
    ]

    @Test("valid URLs parse into their parts", arguments: valid)
    func parses(_ expected: Valid) throws {
        let url = try PostgresURL(parsing: expected.text)
        #expect(url.user == expected.user && url.password == expected.password && url.host == expected.host)
        #expect(url.port == expected.port && url.database == expected.database && url.sslMode == expected.sslMode)
        if let password = expected.password, !password.isEmpty {
            #expect(!url.redacted.contains(password) && url.redacted.contains(":***@"))
        }
    }

    @Test("bad URLs are refused saying what is wrong, never repeating the password", arguments: [
        ("mysql://app:s3cr3t@h/d", "postgres://"),
        ("postgres://h/d", "no user"),
        ("postgres://app:s3cr3t@h", "database"),
        ("postgres://app:s3cr3t@h/", "database"),
        ("postgres://app:s3cr3t@h:99999/d", "port"),
        ("postgres://app:s3cr3t@h:abc/d", "port"),
        ("postgres://app:s3cr3t@:5432/d", "no host"),
        ("postgres://app:s3cr3t@h/d?sslmode=allow", "sslmode=allow"),
        ("postgres://app:s3cr3t@h/d?application_name=x", "application_name"),
        ("postgres://app:s3%ZZcr3t@h/d", "percent-encoding"),
        ("postgres://app:s3cr3t?a/b@h:x/d", "port"),
    ])
    func refuses(_ text: String, _ says: String) {
        #expect {
            _ = try PostgresURL(parsing: text)
        } throws: { error in
            guard case JournalError.unavailable(let message) = error else { return false }
            return message.contains(says) && !message.contains("s3cr3t") && !message.contains("s3%ZZcr3t")
        }
    }

    @Test("a server that is not there gives an error naming host and port, without the password")
    func unreachable() async throws {
        // A port nothing listens on: bind-free ports are found the same way the harness finds one.
        let server = try await PostgresServer.shared()
        let port = server.port == 1 ? 2 : 1
        let started = ContinuousClock.now
        await #expect {
            _ = try await PostgresStore.connect(url: "postgres://app:hunter2secret@127.0.0.1:\(port)/db?sslmode=disable", logger: Fixtures.logger)
        } throws: { error in
            guard case JournalError.unavailable(let message) = error else { return false }
            return message.contains("127.0.0.1:\(port)") && !message.contains("hunter2secret")
        }
        #expect(ContinuousClock.now - started < .seconds(10), "a refused connection fails at once")
    }

    @Test("an unknown database is refused naming it, without the password")
    func unknownDatabase() async throws {
        let server = try await PostgresServer.shared()
        await #expect {
            _ = try await PostgresStore.connect(url: "postgres://postgres:hunter2secret@127.0.0.1:\(server.port)/nosuchdb?sslmode=disable",
                                                logger: Fixtures.logger)
        } throws: { error in
            guard case JournalError.unavailable(let message) = error else { return false }
            return message.contains("nosuchdb") && message.contains("127.0.0.1:\(server.port)") && !message.contains("hunter2secret")
        }
    }

    @Test("the redacted URL hides the password")
    func redacted() async throws {
        let server = try await PostgresServer.shared()
        let url = try await server.createDatabase()
        let withPassword = url.replacingOccurrences(of: "postgres@", with: "postgres:topsecret@")
        try await PostgresStore.withConnected(url: withPassword, logger: Fixtures.logger, operationTimeout: .seconds(60)) { store in
            #expect(store.redactedURL.contains("postgres:***@127.0.0.1:\(server.port)/") && !store.redactedURL.contains("topsecret"))
        }
    }

    @Test("migrations apply once: a second connect and three concurrent ones change nothing")
    func migrationsOnce() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { first in
            try await first.save([Fixtures.run("run-1")])
        }
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresStore.connect(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) } }
            return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
        }
        let stored = try await PostgresStore.whileRunning(stores) { try await stores[0].run(id: "run-1") }
        #expect(stored == Fixtures.run("run-1"))
        #expect(try await Fixtures.query("SELECT version FROM schema_migrations ORDER BY version", url: url)
                == ["v1-shared-store", "v2-runs-by-footprint", "v3-scheduled-events", "v4-event-occurrences", "v5-pauses-actions",
                    "v6-retention"])
    }

    @Test("upgrading a v1 database fills the target lists of its runs, so an alert batch finds them by target")
    func footprintMigrationBackfills() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        var run = Fixtures.run("run-1", fingerprint: "fp-other")
        run.targets = ["cache", "worker"]
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { store in
            try await store.save([run])
        }
        // Back to the v1 schema, as a database last used by the previous version is.
        for sql in ["DROP INDEX run_open_by_fingerprint", "DROP INDEX run_ended_by_playbook", "ALTER TABLE run DROP COLUMN target_list",
                    "DELETE FROM schema_migrations WHERE version = 'v2-runs-by-footprint'"] {
            _ = try await Fixtures.query(sql, url: url)
        }
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { store in
            let footprint = RunFootprint(fingerprints: ["fp-1"], targets: ["worker"], playbooks: [])
            let seen = try await store.transact(.alerts(endedSince: Date(), candidates: [], touching: footprint), owner: "A",
                                                now: Date(), lease: .seconds(30)) { view in RunTransactionOutcome(result: view.runs.map(\.id)) }
            #expect(seen == ["run-1"])
        }
        #expect(try await Fixtures.query("SELECT array_to_string(target_list, ',') FROM run", url: url) == ["cache,worker"])
    }

    @Test("replicas migrating a new database at once all start")
    func concurrentFirstMigration() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresStore.connect(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) } }
            return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
        }
        try await PostgresStore.whileRunning(stores) {
            for store in stores { try await store.checkWritable() }
        }
        #expect(try await Fixtures.query("SELECT count(*)::text FROM schema_migrations", url: url) == ["6"])
    }

    @Test("a database migrated by a newer version is refused as incompatible")
    func newerSchema() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        _ = try await PostgresStore.connect(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60))
        _ = try await Fixtures.query("INSERT INTO schema_migrations VALUES ('v99-future', now()) RETURNING version", url: url)
        await #expect {
            _ = try await PostgresStore.connect(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60))
        } throws: { error in
            guard case JournalError.incompatible(let message) = error else { return false }
            return message.contains("v99-future") && message.contains("newer version")
        }
    }
}
