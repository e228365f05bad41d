import Foundation
import Logging
import NIOConcurrencyHelpers
import ResponderCore
import ResponderRuntime
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
    /// An executor that counts its calls and, while `gated`, waits until released before recording (a release that
    /// comes first is kept).
    final class CountingExecutor: StepExecutor, Sendable {
        let inner: RecordingExecutor
        let calls = NIOLockedValueBox<[(step: Int, recheck: Bool)]>([])
        private let gate: NIOLockedValueBox<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>

        init(_ inner: RecordingExecutor, gated: Bool) {
            self.inner = inner
            gate = NIOLockedValueBox((!gated, nil))
        }

        func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult {
            calls.withLockedValue { $0.append((step.index, step.recheck)) }
            await withCheckedContinuation { continuation in
                let open = gate.withLockedValue { gate -> Bool in
                    if !gate.open { gate.waiter = continuation }
                    return gate.open
                }
                if open { continuation.resume() }
            }
            return await inner.execute(step, runID: runID, snapshot: snapshot, dryRun: dryRun)
        }

        func replicas(of targets: [String]) async -> [String: Int] { await inner.replicas(of: targets) }

        func release() {
            gate.withLockedValue { gate in
                gate.open = true
                gate.waiter?.resume()
                gate.waiter = nil
            }
        }
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
            let clock = ManualClock(start: Date(timeIntervalSince1970: 1_900_000_000))
            let now: @Sendable () -> Date = { clock.now.date }
            let executorA = CountingExecutor(RecordingExecutor(ledger: storeA, now: now), gated: true)
            let executorB = CountingExecutor(RecordingExecutor(ledger: storeB, now: now), gated: true)
            // The drivers run no timer service here: the test ticks them and carries out the steps they start, so a
            // replica that "hangs" is one whose steps and ticks the test holds back.
            let a = RunCoordinator(store: storeA, executor: executorA, playbooks: registry, logger: logger, owner: "A",
                                   lease: .seconds(30), clock: clock)
            let b = RunCoordinator(store: storeB, executor: executorB, playbooks: registry, logger: logger, owner: "B",
                                   lease: .seconds(30), clock: clock)
            var startedOnA = a.executions.makeAsyncIterator()
            var startedOnB = b.executions.makeAsyncIterator()

            let (_, alerts) = try AlertmanagerDecoder().decode(try Fixture.bytes("v4_firing_minimal.json"))
            let delivery = Delivery(kind: .alertmanagerWebhook, idempotencyKey: nil, receivedAt: now(), details: [:], body: "{}")
            _ = try await storeA.record(delivery, alerts: alerts)
            // Both replicas drain the backlog; the alert starts one run, and its first step goes to A, which hangs in it.
            await a.replayBacklog()
            await b.replayBacklog()
            let onA = try #require(await startedOnA.next())
            async let resultA = executorA.execute(onA.step, runID: onA.runID, snapshot: onA.snapshot, dryRun: onA.dryRun)
            let runs = try await storeA.recentRuns(limit: 10)
            #expect(runs.count == 1)
            let runID = try #require(runs.first?.id)
            #expect(await b.stepsInFlight == 0, "the alert was handled once, by A")

            // Within A's lease, B claims nothing.
            clock.advance(by: .seconds(20))
            await b.tick()
            #expect(await b.stepsInFlight == 0)
            #expect(try await storeB.run(id: runID)?.steps[0].status == .running)
            #expect(try await storeB.run(id: runID)?.steps[0].attempts == 1)

            // After it, B takes the run over and re-checks the step, as attempt 2 (and hangs in it too).
            clock.advance(by: .seconds(11))
            await b.tick()
            let onB = try #require(await startedOnB.next())
            #expect(onB.step.index == 0 && onB.step.recheck && onB.step.attempts == 2)
            async let resultB = executorB.execute(onB.step, runID: onB.runID, snapshot: onB.snapshot, dryRun: onB.dryRun)

            // A wakes up: its attempt 1 was taken over, so its result is ignored while B's attempt 2 runs.
            executorA.release()
            await a.finished(onA, result: await resultA)
            #expect(await a.stepsInFlight == 0)
            let during = try #require(try await storeA.run(id: runID))
            #expect(during.steps[0].status == .running)
            #expect(during.steps[0].attempts == 2)

            // B finishes: the dry-run ledger holds the call once (A recorded it; B's re-check finds it applied).
            executorB.release()
            await b.finished(onB, result: await resultB)
            let final = try #require(try await storeA.run(id: runID))
            #expect(final.steps[0].status == .done)
            #expect(final.steps[0].outcome == RecordingExecutor.alreadyApplied)
            #expect(try await storeA.recordedCalls(runID: runID).filter { $0.step == 0 }.count == 1)
            #expect(executorA.calls.withLockedValue { $0.count } == 1)
            #expect(executorB.calls.withLockedValue { $0.map(\.recheck) } == [true])
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
            let clock = SteppingClock(start: start)
            let registry = PlaybookRegistry(logger: logger) { .success(PlaybookSet(targets: [:], playbooks: [], files: [])) }
            let executor = CountingExecutor(RecordingExecutor(ledger: store, now: { clock.now.date }), gated: false)
            let coordinator = RunCoordinator(store: store, executor: executor, playbooks: registry, logger: logger,
                                             owner: "A", clock: clock)
            await coordinator.tick()
            let reads = clock.reads
            #expect(reads < 1_000, "the tick read the clock \(reads) times: it must take one instant, not chase the clock")
            #expect(executor.calls.withLockedValue { $0.isEmpty }, "nothing was due at the tick's instant")
        }
    }

    @Test("a journaled alert no replica handled (it died after answering) is picked up by another replica's ingest loop")
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
            let coordinator = RunCoordinator(store: store, executor: RecordingExecutor(ledger: store), playbooks: registry,
                                             logger: logger, owner: "B")
            await coordinator.replayBacklog()
            #expect(try await store.recentRuns(limit: 5).map(\.playbook) == ["fast-ladder"])
            #expect(try await store.unprocessedAlerts(limit: 5).isEmpty)
        }
    }
}

/// A clock every read of which moves it one second on, for the first 1,000 reads: a tick that kept re-reading the clock
/// would chase it.
final class SteppingClock: WallClock {
    private let state: NIOLockedValueBox<(now: Date, reads: Int)>

    init(start: Date) {
        state = NIOLockedValueBox((start, 0))
    }

    var reads: Int { state.withLockedValue { $0.reads } }

    var now: WallInstant {
        state.withLockedValue { state in
            defer { state.reads += 1; if state.reads <= 1_000 { state.now += 1 } }
            return WallInstant(state.now)
        }
    }

    var minimumResolution: Duration { .milliseconds(1) }

    func sleep(until deadline: WallInstant, tolerance: Duration?) async throws {
        try await Task.sleep(for: .milliseconds(1))
    }
}
