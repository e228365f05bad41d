import Foundation
import Logging
import NIOConcurrencyHelpers
import ResponderCore
import ResponderPlaybooks
import ResponderPostgres
import ResponderServer
import ResponderStore
import ResponderTestSupport
import Testing

/// Two replicas' coordinators on one PostgreSQL database and one manual clock: replica A claims a step and hangs in
/// it (its executor never returns until released); B must leave the run alone while A's lease holds, take it over once
/// the lease has expired (re-checking the step), and A's late result must not touch B's attempt.
@Suite("shared runs: lease takeover between replicas")
struct SharedRunTakeoverTests {
    /// An executor that counts its calls and, while `gated`, waits until released before recording.
    final class CountingExecutor: StepExecutor, Sendable {
        let inner: RecordingExecutor
        let gated: Bool
        let calls = NIOLockedValueBox<[(step: Int, recheck: Bool)]>([])
        let gate = NIOLockedValueBox<CheckedContinuation<Void, Never>?>(nil)
        let entered = NIOLockedValueBox(false)

        init(_ inner: RecordingExecutor, gated: Bool) {
            self.inner = inner
            self.gated = gated
        }

        func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult {
            calls.withLockedValue { $0.append((step.index, step.recheck)) }
            if gated {
                await withCheckedContinuation { continuation in
                    gate.withLockedValue { $0 = continuation }
                    entered.withLockedValue { $0 = true }
                }
            }
            return await inner.execute(step, runID: runID, snapshot: snapshot, dryRun: dryRun)
        }

        func replicas(of targets: [String]) async -> [String: Int] { await inner.replicas(of: targets) }

        func release() { gate.withLockedValue { $0?.resume(); $0 = nil } }
    }

    static func waitUntil(_ condition: @Sendable () async throws -> Bool) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not met within 5 s")
    }

    @Test("a step claimed by a replica that hangs is taken over after the lease, and the late result is fenced off")
    func takeover() async throws {
        let server = try await PostgresServer.shared()
        let url = try await server.createDatabase()
        let logger = Logger(label: "t")
        let storeA = try await PostgresStore.connect(url: url, logger: logger, operationTimeout: .seconds(60))
        let storeB = try await PostgresStore.connect(url: url, logger: logger, operationTimeout: .seconds(60))
        try await PostgresStore.whileRunning([storeA, storeB]) {
            let folder = try TemporaryFolder("takeover")
            defer { folder.remove() }
            try CrashRecoveryTests.playbook.write(toFile: folder.path + "/fast.yaml", atomically: true, encoding: .utf8)
            let path = folder.path
            let registry = PlaybookRegistry(logger: logger) { PlaybookLoader.load(directory: path).mapError { $0 as any Error } }
            let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_900_000_000))
            let now: @Sendable () -> Date = { clock.withLockedValue { $0 } }
            let executorA = CountingExecutor(RecordingExecutor(ledger: storeA, now: now), gated: true)
            let executorB = CountingExecutor(RecordingExecutor(ledger: storeB, now: now), gated: true)
            let a = SharedRunCoordinator(store: storeA, executor: executorA, playbooks: registry, logger: logger, owner: "A",
                                         lease: .seconds(30), now: now)
            let b = SharedRunCoordinator(store: storeB, executor: executorB, playbooks: registry, logger: logger, owner: "B",
                                         lease: .seconds(30), now: now)

            let (_, alerts) = try AlertmanagerDecoder().decode(try Fixture.bytes("v4_firing_minimal.json"))
            let delivery = Delivery(kind: .alertmanagerWebhook, idempotencyKey: nil, receivedAt: now(), details: [:], body: "{}")
            _ = try await storeA.record(delivery, alerts: alerts)
            // Both replicas drain the backlog; the alert starts one run, and its first step goes to A, which hangs in it.
            await a.alertsAccepted(alerts)
            await b.alertsAccepted(alerts)
            try await Self.waitUntil { executorA.entered.withLockedValue { $0 } }
            let runs = try await storeA.recentRuns(limit: 10)
            #expect(runs.count == 1)
            let runID = try #require(runs.first?.id)

            // Within A's lease, B claims nothing.
            clock.withLockedValue { $0 = $0.addingTimeInterval(20) }
            await b.tick()
            #expect(executorB.calls.withLockedValue { $0.isEmpty })
            #expect(try await storeB.run(id: runID)?.steps[0].status == .running)

            // After it, B takes the run over and re-checks the step, as attempt 2 (and hangs in it too).
            clock.withLockedValue { $0 = $0.addingTimeInterval(11) }
            await b.tick()
            try await Self.waitUntil { executorB.entered.withLockedValue { $0 } }
            #expect(executorB.calls.withLockedValue { $0.map(\.step) } == [0])
            #expect(executorB.calls.withLockedValue { $0.first?.recheck } == true)

            // A wakes up: its attempt 1 was taken over, so its result is ignored while B's attempt 2 runs.
            executorA.release()
            try await Self.waitUntil { await a.stepsInFlight == 0 }
            let during = try #require(try await storeA.run(id: runID))
            #expect(during.steps[0].status == .running)
            #expect(during.steps[0].attempts == 2)

            // B finishes: the dry-run ledger holds the call once (A recorded it; B's re-check finds it applied).
            executorB.release()
            try await Self.waitUntil { try await storeB.run(id: runID)?.steps[0].status == .done }
            let final = try #require(try await storeA.run(id: runID))
            #expect(final.steps[0].outcome == RecordingExecutor.alreadyApplied)
            #expect(try await storeA.recordedCalls(runID: runID).filter { $0.step == 0 }.count == 1)
            #expect(executorA.calls.withLockedValue { $0.count } == 1)
        }
    }

    @Test("a tick uses one instant: runs due just after it are not claimed, and it returns while the clock moves")
    func claimsUseOneInstant() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        let logger = Logger(label: "t")
        try await PostgresStore.withConnected(url: url, logger: logger, operationTimeout: .seconds(60)) { store in
            let start = Date(timeIntervalSince1970: 1_900_000_000)
            // More than a claim batch of runs, each due half a second after the tick starts.
            let runs = (1...150).map { RunSamples.run("run-\($0)", steps: [RunStep(
                index: 0, phase: .actions, anchor: .now, offsetSeconds: 0, due: start.addingTimeInterval(0.5),
                work: .action(.scale(target: "worker", change: .to(3))), target: "worker", to: 3, detail: "scale worker to 3")]) }
            try await store.save(runs)
            // Every read of the clock moves it one second on, for the first 1,000 reads: a tick that kept re-reading the
            // clock would spin for ever on a clock that never stops; this one stops, so such a tick ends and is caught
            // by the read count and by the runs it then claims.
            let clock = NIOLockedValueBox((now: start, reads: 0))
            let now: @Sendable () -> Date = {
                clock.withLockedValue { state in
                    defer { state.reads += 1; if state.reads <= 1_000 { state.now += 1 } }
                    return state.now
                }
            }
            let registry = PlaybookRegistry(logger: logger) { .success(PlaybookSet(targets: [:], playbooks: [], files: [])) }
            let executor = CountingExecutor(RecordingExecutor(ledger: store, now: now), gated: false)
            let coordinator = SharedRunCoordinator(store: store, executor: executor, playbooks: registry, logger: logger,
                                                   owner: "A", now: now)
            await coordinator.tick()
            let reads = clock.withLockedValue { $0.reads }
            #expect(reads < 1_000, "the tick read the clock \(reads) times: it must take one instant, not chase the clock")
            #expect(executor.calls.withLockedValue { $0.isEmpty }, "nothing was due at the tick's instant")
        }
    }

    @Test("a journaled alert no replica handled (it died after answering) is picked up by another replica's tick")
    func strandedAlert() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        let logger = Logger(label: "t")
        try await PostgresStore.withConnected(url: url, logger: logger, operationTimeout: .seconds(60)) { store in
            let folder = try TemporaryFolder("stranded")
            defer { folder.remove() }
            try CrashRecoveryTests.playbook.write(toFile: folder.path + "/fast.yaml", atomically: true, encoding: .utf8)
            let path = folder.path
            let registry = PlaybookRegistry(logger: logger) { PlaybookLoader.load(directory: path).mapError { $0 as any Error } }
            let (_, alerts) = try AlertmanagerDecoder().decode(try Fixture.bytes("v4_firing_minimal.json"))
            _ = try await store.record(Delivery(kind: .alertmanagerWebhook, idempotencyKey: nil, receivedAt: Date(), details: [:],
                                                body: "{}"), alerts: alerts)
            let coordinator = SharedRunCoordinator(store: store, executor: RecordingExecutor(ledger: store), playbooks: registry,
                                                   logger: logger, owner: "B")
            await coordinator.tick()
            #expect(try await store.recentRuns(limit: 5).map(\.playbook) == ["fast-ladder"])
            #expect(try await store.unprocessedAlerts(limit: 5).isEmpty)
        }
    }
}
