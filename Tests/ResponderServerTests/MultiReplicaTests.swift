import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import ResponderCore
import ResponderPostgres
import ResponderStore
import ResponderTestSupport
import Testing

/// Three real `responder serve` processes share one PostgreSQL (Debian's server, started by the test in a temp
/// folder). Every alert goes to all three, as Alertmanager HA peers send it; one replica is killed with SIGKILL in the
/// middle of the step-down ladder. One run must result, every step recorded exactly once, never early, and the run
/// must complete on the survivors.
@Suite("several replicas on PostgreSQL (kill -9 during a ladder)")
struct MultiReplicaTests {
    struct Replica {
        let process: ResponderProcess
        let port: Int
        let state: String
    }

    /// Starts a replica. `operationTimeout` is generous by default: a loaded CI machine can take seconds for a store
    /// operation, and only the fault tests are about the timeout.
    static func start(_ folders: ServeFolders, name: String, database: String, config: String? = nil,
                      logs: Bool = false, operationTimeout: String = "60") async throws -> Replica {
        let state = folders.temporary.path + "/" + name
        let arguments = ["serve", "--state", state, "--listen", "127.0.0.1:0", "--playbooks", folders.playbooks]
            + (config.map { ["--config", $0] } ?? [])
        // The URL goes through the environment (a flag would show the password in `ps`); short leases so a takeover
        // happens within the test.
        let (process, port, line) = try await ResponderProcess.serve(
            arguments,
            environment: ["RESPONDER_DATABASE_URL": database, "RESPONDER_DATABASE_LEASE_SECONDS": "3",
                          "RESPONDER_DATABASE_REPLICA_ID": name,
                          "RESPONDER_DATABASE_OPERATION_TIMEOUT_SECONDS": operationTimeout].merging(logs ? ["RESPONDER_LOG_LEVEL": "debug"] : [:]) { $1 },
            logs: logs
        )
        #expect(line.contains("store: PostgreSQL"))
        return Replica(process: process, port: port, state: state)
    }

    static func post(_ file: String, to replica: Replica) async throws {
        #expect(try await send(file, to: replica, timeout: .seconds(10)) == .ok)
    }

    /// Posts `file` to `replica`'s Alertmanager hook and returns the answer's status.
    static func send(_ file: String, to replica: Replica, timeout: Duration) async throws -> HTTPResponseStatus {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(replica.state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        defer { _ = client.shutdown() }
        var request = HTTPClientRequest(url: "https://localhost:\(replica.port)/hooks/alertmanager")
        request.method = .POST
        let token = try String(contentsOfFile: replica.state + "/alertmanager-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(bytes: try Fixture.bytes(file)))
        return try await client.execute(request, timeout: .init(timeout)).status
    }

    /// `GET /metrics` of `replica`, as text.
    static func metrics(of replica: Replica) async throws -> String {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(replica.state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        defer { _ = client.shutdown() }
        let response = try await client.execute(HTTPClientRequest(url: "https://localhost:\(replica.port)/metrics"),
                                                 timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    /// Posts `file` to every replica at once.
    static func postToAll(_ file: String, _ replicas: [Replica]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for replica in replicas { group.addTask { try await post(file, to: replica) } }
            try await group.waitForAll()
        }
    }

    @Test("the same alerts to three replicas: one run, each step exactly once, none early, completed after a kill -9")
    func threeReplicasAndAKill() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase()
        let folders = try ServeFolders("replicas")
        defer { folders.remove() }
        try CrashRecoveryTests.playbook.write(toFile: folders.playbooks + "/fast.yaml", atomically: true, encoding: .utf8)

        var replicas: [Replica] = []
        for index in 0..<3 { replicas.append(try await Self.start(folders, name: "replica-\(index)", database: database)) }
        try await Self.postToAll("v4_firing_minimal.json", replicas)
        try await Task.sleep(for: .milliseconds(300))
        try await Self.postToAll("v4_resolved_minimal.json", replicas)
        let resolvedAt = Date()

        // The ladder runs from resolve + 1 s, one step a second: kill a replica in the middle of it.
        try await Task.sleep(for: .milliseconds(3_400))
        let victim = replicas.removeFirst()
        kill(victim.process.process.processIdentifier, SIGKILL)
        _ = try await victim.process.waitForExit()
        let killedAt = Date()

        let (run, runs, calls, alerts) = try await PostgresStore.withConnected(url: database, logger: .init(label: "test"), operationTimeout: .seconds(60)) { store in
            var run: Run?
            for _ in 0..<400 {
                run = try await store.recentRuns(limit: 5).first
                if run?.status == .completed { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            return (run, try await store.recentRuns(limit: 5), try await store.recordedCalls(runID: nil),
                    try await store.recentAlerts(limit: 10))
        }
        for replica in replicas {
            replica.process.process.terminate()
            #expect(try await replica.process.waitForExit() == 0)
        }

        #expect(runs.count == 1, "three replicas received the alert, one run started: \(runs.map(\.id))")
        #expect(alerts.count == 2, "the firing and the resolved alert, each journaled once")
        let finished = try #require(run)
        #expect(finished.status == .completed)
        #expect(finished.steps.count == 9)
        let perStep = Dictionary(grouping: calls, by: \.step).mapValues(\.count)
        #expect(perStep == Dictionary(uniqueKeysWithValues: (0..<9).map { ($0, 1) }), "every step exactly once: \(perStep)")
        #expect(calls.filter { $0.action == "scale" }.compactMap(\.value) == [12, 11, 10, 9, 8, 7, 6, 5, 4])
        for call in calls {
            if let due = finished.steps[call.step].due {
                #expect(call.recordedAt >= due.addingTimeInterval(-0.001), "step \(call.step) fired before its due time")
                // A run the killed replica held is taken over once its 3 s lease expires; other steps fire on time.
                #expect(call.recordedAt.timeIntervalSince(due) < 4.5, "step \(call.step) fired \(call.recordedAt.timeIntervalSince(due)) s late")
            }
        }
        #expect(calls.contains { $0.recordedAt > killedAt }, "steps due after the kill ran on the survivors")
        #expect(finished.steps.allSatisfy { $0.status == .done })
        #expect(resolvedAt < killedAt)

        // `responder alerts` reads the shared store too.
        let listing = try ResponderProcess(arguments: ["alerts", "--database-url", database])
        #expect(try await listing.waitForExit() == 0)
        let lines = listing.stdout.split(separator: "\n").filter { $0.contains("HighQueueDepth") }
        #expect(lines.count == 2, "\(listing.stdout)")
        #expect(lines.first?.contains(" resolved ") == true && lines.last?.contains(" firing ") == true)
    }

    @Test("notifications from two replicas: every queued Slack notification delivered exactly once, one message per run")
    func notificationsOnce() async throws {
        try await FakeSlack.with { slack, _ in
            let database = try await PostgresServer.shared().createDatabase()
            let folders = try ServeFolders("replicas-notify")
            defer { folders.remove() }
            try CrashRecoveryTests.playbook.write(toFile: folders.playbooks + "/fast.yaml", atomically: true, encoding: .utf8)
            let config = try slack.writeServeConfiguration(in: folders.temporary.path)
            var replicas: [Replica] = []
            for index in 0..<2 {
                replicas.append(try await Self.start(folders, name: "replica-\(index)", database: database, config: config))
            }
            try await Self.postToAll("v4_firing_minimal.json", replicas)
            try await Task.sleep(for: .milliseconds(300))
            try await Self.postToAll("v4_resolved_minimal.json", replicas)

            let items = try await PostgresStore.withConnected(url: database, logger: .init(label: "test"), operationTimeout: .seconds(60)) { store in
                var items: [OutboxItem] = []
                for _ in 0..<400 {
                    let run = try await store.recentRuns(limit: 1).first
                    if let run, run.status == .completed {
                        items = try await store.notifications(runID: run.id)
                        if !items.isEmpty, items.allSatisfy({ $0.status != .pending }) { break }
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return items
            }
            for replica in replicas {
                replica.process.process.terminate()
                _ = try await replica.process.waitForExit()
            }
            #expect(items.count > 2, "a message and thread replies were queued: \(items.map(\.notification.kind))")
            #expect(items.allSatisfy { $0.status == .delivered && $0.attempts == 1 }, "\(items.map { ($0.status, $0.attempts) })")
            let accepted = slack.acceptedCalls
            #expect(accepted.count == items.count, "one Slack call per queued notification: \(accepted.map(\.method))")
            #expect(accepted.filter { $0.method == "chat.postMessage" && $0.threadTS == nil }.count == 1, "one message for the run")
            #expect(slack.calls.filter { !$0.accepted }.isEmpty)
        }
    }
}
