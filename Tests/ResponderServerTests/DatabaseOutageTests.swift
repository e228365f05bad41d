import Foundation
import NIOHTTP1
import ResponderCore
import ResponderPostgres
import ResponderTestSupport
import Testing

/// PostgreSQL going away under a running replica, as in a failover: the test closes the replica's database to new
/// connections and ends the open ones (`ALLOW_CONNECTIONS false`, `pg_terminate_backend`) in the middle of a ladder,
/// then opens it again a few seconds later. The replica must keep running, lose nothing it was sent, and run every
/// step exactly once after the database is back.
@Suite("a PostgreSQL outage under a running replica")
struct DatabaseOutageTests {
    @Test("a few seconds without the database: alerts sent meanwhile are recorded, every step runs once, none early")
    func shortOutage() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase()
        let name = try #require(database.split(separator: "/").last?.split(separator: "?").first.map(String.init))
        let folders = try ServeFolders("outage")
        defer { folders.remove() }
        try CrashRecoveryTests.playbook.write(toFile: folders.playbooks + "/fast.yaml", atomically: true, encoding: .utf8)
        let replica = try await MultiReplicaTests.start(folders, name: "replica-0", database: database)
        defer { replica.process.process.terminate() }

        try await MultiReplicaTests.post("v4_firing_minimal.json", to: replica)
        try await Task.sleep(for: .milliseconds(300))
        try await MultiReplicaTests.post("v4_resolved_minimal.json", to: replica)
        // The ladder's steps come due one a second from resolve + 1 s: take the database away in the middle of it.
        try await Task.sleep(for: .milliseconds(2_500))
        try await server.psql("ALTER DATABASE \(name) ALLOW_CONNECTIONS false")
        try await server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
        let outageStarted = Date()

        // An alert no playbook matches, sent during the outage and retried on 503 as Alertmanager retries: it must end
        // up journaled once.
        let other = String(decoding: try Fixture.bytes("v4_firing_minimal.json"), as: UTF8.self)
            .replacingOccurrences(of: "HighQueueDepth", with: "DiskFillingUp")
            .replacingOccurrences(of: "a1b2c3d4e5f60718", with: "0f0e0d0c0b0a0908")
        let sender = Task { () -> [HTTPResponseStatus] in
            var answers: [HTTPResponseStatus] = []
            while answers.last != .ok, answers.count < 30 {
                answers.append(try await MultiReplicaTests.send(body: Array(other.utf8), to: replica))
                if answers.last != .ok { try await Task.sleep(for: .milliseconds(500)) }
            }
            return answers
        }
        try await Task.sleep(for: .seconds(4))
        try await server.psql("ALTER DATABASE \(name) ALLOW_CONNECTIONS true")
        let outageEnded = Date()
        let answers = try await sender.value

        let (run, runs, calls, alerts) = try await MultiReplicaTests.outcome(database)
        #expect(replica.process.process.isRunning, "the replica rode out the outage")
        replica.process.process.terminate()
        #expect(try await replica.process.waitForExit() == 0)

        #expect(answers.last == .ok, "the alert sent during the outage was accepted in the end: \(answers)")
        #expect(answers.allSatisfy { $0 == .ok || $0 == .serviceUnavailable }, "\(answers)")
        #expect(alerts.count == 3, "firing, resolved and the alert sent during the outage, each once: \(alerts.map(\.alert.labels))")
        #expect(alerts.filter { $0.alert.labels["alertname"] == "DiskFillingUp" }.count == 1)
        #expect(runs.count == 1, "\(runs.map(\.id))")
        let finished = try #require(run)
        #expect(finished.status == .completed, "\(finished.history.map(\.message))")
        let perStep = Dictionary(grouping: calls, by: \.step).mapValues(\.count)
        #expect(perStep == Dictionary(uniqueKeysWithValues: (0..<9).map { ($0, 1) }), "every step exactly once: \(perStep)")
        for call in calls {
            if let due = finished.steps[call.step].due {
                #expect(call.recordedAt >= due.addingTimeInterval(-0.001), "step \(call.step) fired before its due time")
            }
        }
        #expect(calls.contains { call in
            guard let due = finished.steps[call.step].due else { return false }
            return due > outageStarted && due < outageEnded && call.recordedAt > outageEnded
        }, "a step that came due during the outage ran after it")
    }
}
