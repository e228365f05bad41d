import Foundation
import PostgresNIO
import ResponderCore
import ResponderPostgres
import ResponderStore
import ResponderTestSupport

/// Stores on fresh databases of the shared test server, and the runs, alerts and deliveries the tests store.
enum Fixtures {
    static let start = RunSamples.start

    static var logger: Logger {
        var logger = Logger(label: "responder-postgres-tests")
        logger.logLevel = .error
        return logger
    }

    /// Runs `body` with `count` stores (separate connection pools, like replicas) on one fresh database, then closes them.
    static func withStores(_ count: Int = 2, outboxClaim: Duration = .seconds(60),
                           _ body: ([PostgresStore]) async throws -> Void) async throws {
        let url = try await PostgresServer.shared().createDatabase()
        var stores: [PostgresStore] = []
        for _ in 0..<count {
            // Generous: these tests are not about timeouts, and a loaded CI machine can take seconds to connect.
            stores.append(try await PostgresStore.connect(url: url, logger: logger, outboxClaim: outboxClaim,
                                                          operationTimeout: .seconds(60)))
        }
        try await PostgresStore.whileRunning(stores) { try await body(stores) }
    }


    /// Runs `body` with one store on a fresh database, then closes it.
    static func withStore(_ body: (PostgresStore) async throws -> Void) async throws {
        try await withStores(1) { try await body($0[0]) }
    }

    /// Runs `sql` on the database of `url` as the superuser and returns the first column of each row as text.
    static func query(_ sql: String, url: String) async throws -> [String?] {
        let parsed = try PostgresURL(parsing: url)
        let configuration = PostgresConnection.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.user, password: nil, database: parsed.database, tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            var values: [String?] = []
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String?.self) {
                values.append(value)
            }
            try await connection.close()
            return values
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func step(_ index: Int, to replicas: Int = 9, due: Date? = start) -> RunStep {
        RunSamples.step(index, .action(.scale(target: "worker", change: .to(replicas))), target: "worker", to: replicas, due: due)
    }

    static func run(_ id: String, status: RunStatus = .active, startedAt: Date = start, endedAt: Date? = nil,
                    fingerprint: String = "fp-1", steps: [RunStep]? = nil) -> Run {
        RunSamples.run(id, status: status, startedAt: startedAt, endedAt: endedAt, fingerprint: fingerprint, steps: steps ?? [step(0)])
    }

    /// A run with every field set and a step of every kind of work (the same sample the SQLite store tests use).
    static func fullRun() -> Run { RunSamples.fullRun() }

    static func alert(_ fingerprint: String, _ status: AlertStatus = .firing, startsAt: String = "2026-01-01T00:00:00Z",
                      labels: [String: String] = ["alertname": "HighQueueDepth", "deployment": "worker; rm -rf /"]) -> NormalizedAlert {
        NormalizedAlert(
            source: .alertmanager, fingerprint: fingerprint, status: status, labels: labels,
            annotations: ["summary": "queue depth high"], startsAt: RFC3339.parse(startsAt), endsAt: nil,
            generatorURL: "http://prometheus/graph", groupKey: "{}:{}", receiver: "scaler",
            idempotencyKey: "alertmanager:\(fingerprint)|\(startsAt)|\(status.rawValue)"
        )
    }

    static func delivery(key: String? = nil, body: String = "{}") -> Delivery {
        Delivery(kind: key == nil ? .alertmanagerWebhook : .cloudwatchAlarm, idempotencyKey: key, receivedAt: start,
                 details: ["receiver": "scaler"], body: body)
    }

    static func note(_ run: String, _ channel: OutboundNotification.Channel, _ kind: OutboundNotification.Kind, _ text: String = "",
                     at: Date = start) -> OutboundNotification {
        OutboundNotification(runID: run, channel: channel, kind: kind, text: text, createdAt: at)
    }
}
