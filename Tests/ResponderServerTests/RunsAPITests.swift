import Foundation
import Logging
import NIOConcurrencyHelpers
import ResponderCore
import ResponderRuntime
import ResponderServer
import ResponderStore
import ResponderTestSupport
import Testing

@Suite("runs over HTTPS: alerts start runs, the admin API shows and steers them")
struct RunsAPITests {
    static let location = FileLocation(file: "Playbooks/workers.yaml", line: 1)
    static let playbooks = PlaybookSet(
        targets: ["worker": Target(
            name: "worker", backend: .compose(.init(project: "demo", service: "worker")),
            bounds: .init(floor: 2, ceiling: 20), location: location
        )],
        playbooks: [Playbook(
            name: "queue-depth-workers", kind: .emergencyScale,
            match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "HighQueueDepth")]),
            actions: [.scale(target: "worker", change: .by(5)), .notify(message: "workers +5")],
            ladder: .init(every: .seconds(3600), levels: [("worker", [.replicas(4), .floor])]), location: location
        )],
        files: ["workers.yaml"]
    )

    /// The run driver on `journal`'s SQLite file, as `serve` builds it, on `clock`.
    static func coordinator(_ journal: SQLiteJournal, clock: any WallClock = SystemWallClock()) async throws -> RunCoordinator {
        let logger = Logger(label: "t")
        let registry = PlaybookRegistry(logger: logger) { .success(Self.playbooks) }
        return RunCoordinator(store: try await SQLiteRunTransactions(journal: journal, keepEnded: .seconds(86_400), now: clock.now.date),
                              executor: RecordingExecutor(journal: journal, now: { clock.now.date }), playbooks: registry,
                              logger: logger, clock: clock)
    }

    static func waitForRun(_ server: TestServer) async throws -> Run {
        for _ in 0..<200 {
            if let run = try await server.runs?.recentRuns(limit: 1).first, run.steps.prefix(2).allSatisfy({ $0.status == .done }) {
                return run
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }

    @Test("a firing alert starts a run whose actions are recorded once by the dry-run executor; the API steers it")
    func lifecycle() async throws {
        try await TestServer.with(playbooks: { .success(Self.playbooks) }, runs: true) { server in
            let admin = [("Authorization", "Bearer \(TestServer.adminToken)")]
            #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
            #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
            let run = try await Self.waitForRun(server)
            #expect(run.playbook == "queue-depth-workers")
            let calls = try await RecordingExecutor(journal: server.journal).calls(runID: run.id)
            #expect(calls.map(\.action) == ["scale", "notify"], "the HA duplicate started nothing")
            #expect(calls.first?.value == 7)

            #expect(try await server.send(.GET, "/api/runs").status == 401)
            let list = try await server.send(.GET, "/api/runs", headers: admin)
            #expect(list.status == 200)
            #expect(list.body.contains(#""id":"run-1""#))
            #expect(list.body.contains(#""status":"active""#))
            let detail = try await server.send(.GET, "/api/runs/run-1", headers: admin)
            #expect(detail.body.contains("replicas 7 -> 4"))

            let held = try await server.send(.POST, "/api/runs/run-1/hold", body: Array(#"{"actor":"alice"}"#.utf8), headers: admin)
            #expect(held.status == 200)
            #expect(held.body.contains(#""status":"held""#))
            #expect(try await server.send(.POST, "/api/runs/run-1/hold", headers: admin).status == 409)
            #expect(try await server.send(.POST, "/api/runs/run-1/resume?actor=bob", headers: admin).status == 200)
            #expect(try await server.send(.POST, "/api/runs/run-1/abort", headers: admin).body.contains(#""status":"aborted""#))
            #expect(try await server.send(.POST, "/api/runs/run-1/ack", headers: admin).status == 410)
            #expect(try await server.send(.POST, "/api/runs/run-9/ack", headers: admin).status == 404)
            #expect(try await server.send(.POST, "/api/runs/run-1/explode", headers: admin).status == 404)
            let history = try #require(try await server.runs?.run(id: "run-1")).history.map(\.message)
            #expect(history.contains("held by alice: no step fires until resumed"))
            #expect(history.contains { $0.hasPrefix("resumed by bob") })
            #expect(history.contains("aborted by api"))
        }
    }

    @Test("a burst of deliveries is handed to the engine from the journal in batches: every alert handled, none twice")
    func flood() async throws {
        try await TestServer.with(playbooks: { .success(Self.playbooks) }, runs: true) { server in
            let template = String(decoding: try Fixture.bytes("v4_firing_minimal.json"), as: UTF8.self)
            // Eight in flight at a time, as many as the client has connections: queued behind the pool, a request's 30 s
            // deadline also counted the wait for the 99 before it, which a loaded CI machine exceeded.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<100 {
                    if index >= 8, let status = try await group.next() { #expect(status == 200) }
                    let body = template.replacingOccurrences(of: "a1b2c3d4e5f60718", with: String(format: "%016x", index + 1))
                    group.addTask { try await server.postAlertmanager(Array(body.utf8)).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            for _ in 0..<500 {
                if try await server.journal.unprocessedAlerts(limit: 1).isEmpty { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try await server.journal.unprocessedAlerts(limit: 1).isEmpty, "the backlog drains")
            let runs = try #require(try await server.runs?.recentRuns(limit: 500))
            #expect(!runs.isEmpty)
            #expect(!runs.contains { $0.history.contains { $0.message.contains("fired again") } },
                    "no alert reached the engine twice")
        }
    }

    // Regression: the coordinator woke its own timer loop after every tick, and the wake was kept for the next sleep,
    // so an idle server ticked without pause (each `serve` at ~30% CPU, starving the CI machine).
    @Test("an idle coordinator sleeps until its heartbeat after a tick: a tick that changed nothing does not wake it")
    func idleTickDoesNotWake() async throws {
        let temporary = try TemporaryFolder("idle")
        defer { temporary.remove() }
        let journal = try SQLiteJournal(path: temporary.path + "/responder.sqlite")
        let coordinator = try await Self.coordinator(journal)
        // Counted from before the tick: the sleep ends a heartbeat after the tick began, so a tick slowed by a loaded
        // machine (its store reads) shortens the sleep after it by as much; a wake would still end it at once.
        let started = ContinuousClock.now
        await coordinator.tick()
        await coordinator.waitForWork(heartbeat: .milliseconds(500))
        #expect(ContinuousClock.now - started >= .milliseconds(450), "slept \(ContinuousClock.now - started)")
    }

    @Test("a stored run with absurd values is skipped at the driver's first pass and answered 500 by id; the other run is loaded")
    func absurdStoredRun() async throws {
        let temporary = try TemporaryFolder("absurd")
        defer { temporary.remove() }
        let journal = try SQLiteJournal(path: temporary.path + "/responder.sqlite")
        let good = RunSamples.run("run-1", steps: [RunSamples.step(0, .action(.notify(message: "hi")))])
        var bad = RunSamples.run("run-2", steps: [RunSamples.step(0, .action(.notify(message: "hi")))])
        bad.steps[0].attempts = .max
        bad.heldAt = Date(timeIntervalSince1970: -1e300)
        try await journal.save([good, bad])
        let absurd = bad
        let coordinator = try await Self.coordinator(journal)
        // The runs are loaded at the driver's first pass, not before the server listens.
        await coordinator.tick()
        #expect(await journal.unreadableRuns().keys.sorted() == ["run-2"])
        // The sample step is long overdue and its policy is wait-for-ack: the engine, which has the run, says so.
        #expect(try await coordinator.run(id: "run-1")?.steps.first?.status == .waitingAck, "the good run was loaded and advanced")
        await #expect(throws: JournalError.self) { try await coordinator.run(id: "run-2") }
        try await TestServer.with(playbooks: { .success(Self.playbooks) }, runs: true) { server in
            try await server.journal.save([absurd])
            let admin = [("Authorization", "Bearer \(TestServer.adminToken)")]
            let detail = try await server.send(.GET, "/api/runs/run-2", headers: admin)
            #expect(detail.status == 500)
            #expect(detail.body.contains("run run-2 is not usable: "), "\(detail.body)")
            #expect(try await server.send(.GET, "/api/runs", headers: admin).status == 200)
        }
    }

    @Test("an alert accepted but not handled before a crash is replayed at start-up, once")
    func backlogReplay() async throws {
        let temporary = try TemporaryFolder("backlog")
        defer { temporary.remove() }
        let journal = try SQLiteJournal(path: temporary.path + "/responder.sqlite")
        let (_, alerts) = try AlertmanagerDecoder().decode(try Fixture.bytes("v4_firing_minimal.json"))
        let delivery = Delivery(kind: .alertmanagerWebhook, idempotencyKey: nil, receivedAt: Date(), details: [:], body: "{}")
        _ = try await journal.record(delivery, alerts: alerts)
        #expect(try await journal.unprocessedAlerts(limit: 10).map(\.fingerprint) == ["a1b2c3d4e5f60718"])
        let coordinator = try await Self.coordinator(journal)
        await coordinator.replayBacklog()
        #expect(try await journal.recentRuns(limit: 10).map(\.playbook) == ["queue-depth-workers"])
        #expect(try await journal.unprocessedAlerts(limit: 10).isEmpty)
        let restarted = try await Self.coordinator(journal)
        await restarted.replayBacklog()
        #expect(try await journal.recentRuns(limit: 10).count == 1, "a replay happens once")
    }

    @Test("an alert whose handling could not be saved (store locked) stays in the backlog and is handled by a later drain")
    func backlogRetriedByTick() async throws {
        let temporary = try TemporaryFolder("backlog-retry")
        defer { temporary.remove() }
        let path = temporary.path + "/responder.sqlite"
        let journal = try SQLiteJournal(path: path, busyTimeout: 0.1)
        let (_, alerts) = try AlertmanagerDecoder().decode(try Fixture.bytes("v4_firing_minimal.json"))
        let coordinator = try await Self.coordinator(journal)
        let delivery = Delivery(kind: .alertmanagerWebhook, idempotencyKey: nil, receivedAt: Date(), details: [:], body: "{}")
        _ = try await journal.record(delivery, alerts: alerts)
        let lock = try SQLiteLockHolder(path: path)
        await coordinator.replayBacklog()
        lock.unlock()
        #expect(try await journal.recentRuns(limit: 10).isEmpty, "nothing could be saved while the store was locked")
        #expect(try await journal.unprocessedAlerts(limit: 10).count == 1)
        // The ingest loop drains again at the next accepted alert or within 10 s (RunCoordinator.backlogInterval).
        await coordinator.replayBacklog()
        #expect(try await journal.recentRuns(limit: 10).map(\.playbook) == ["queue-depth-workers"])
        #expect(try await journal.unprocessedAlerts(limit: 10).isEmpty)
    }
}
