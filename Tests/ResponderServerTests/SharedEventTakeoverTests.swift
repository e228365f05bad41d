import Foundation
import Logging
import ResponderCore
import ResponderPlaybooks
import ResponderPostgres
import ResponderRuntime
import ResponderStore
import ResponderTestSupport
import Testing

/// A scheduled event on two replicas sharing one PostgreSQL database and one manual clock: both tick at its
/// preparation time and it is prepared once; the replica that took its run's first step hangs, and the other takes
/// the run over after the lease and carries the event through its step-down.
@Suite("shared runs: a replica takes over a scheduled event's run")
struct SharedEventTakeoverTests {
    @Test("prepared once by two replicas; the run's step taken over after the lease; the ladder runs on the survivor")
    func takeover() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        let logger = Logger(label: "t")
        let storeA = try await PostgresStore.connect(url: url, logger: logger, operationTimeout: .seconds(60))
        let storeB = try await PostgresStore.connect(url: url, logger: logger, operationTimeout: .seconds(60))
        try await PostgresStore.whileRunning([storeA, storeB]) {
            let set = try PlaybookLoader.load(files: [("launch.yaml", LaunchPlaybook.yaml(lead: "1h", hold: "30m", every: "10m"))]).get()
            let registry = PlaybookRegistry(logger: logger) { .success(set) }
            let start = Date(timeIntervalSince1970: 1_900_000_000)
            let clock = ManualClock(start: start)
            let now: @Sendable () -> Date = { clock.now.date }
            let executorA = SharedRunTakeoverTests.CountingExecutor(RecordingExecutor(ledger: storeA, now: now), gated: true)
            let executorB = SharedRunTakeoverTests.CountingExecutor(RecordingExecutor(ledger: storeB, now: now), gated: false)
            let a = RunCoordinator(store: storeA, executor: executorA, playbooks: registry, logger: logger, owner: "A",
                                   lease: .seconds(30), clock: clock, events: storeA)
            let b = RunCoordinator(store: storeB, executor: executorB, playbooks: registry, logger: logger, owner: "B",
                                   lease: .seconds(30), clock: clock, events: storeB)
            var startedOnA = a.executions.makeAsyncIterator()
            var startedOnB = b.executions.makeAsyncIterator()

            let eventStart = start.addingTimeInterval(2 * 3600)
            let draft = EventDraft(playbook: "launch", name: "launch", start: eventStart, end: eventStart.addingTimeInterval(3600),
                                   scheduledBy: "alice")
            let event = try await storeA.scheduleEvent(draft, at: start) { EventRules.check(draft, playbooks: set, others: $0, now: start) }.get()
            #expect(event.prepareAt == start.addingTimeInterval(3600))

            clock.advance(to: event.prepareAt)
            async let tickA: Void = a.tick()
            async let tickB: Void = b.tick()
            _ = await (tickA, tickB)
            #expect(try await storeA.recentAlerts(limit: 10).map(\.alert.idempotencyKey) == ["event/evt-1/r1"], "prepared once")

            await a.replayBacklog()
            await b.replayBacklog()
            let onA = try #require(await startedOnA.next())
            #expect(onA.step.phase == .actions)
            async let hung = executorA.execute(onA.step, runID: onA.runID, snapshot: onA.snapshot, dryRun: onA.dryRun)
            let runID = onA.runID
            #expect(try await storeB.runs(alertFingerprint: EventAlert.fingerprint(event.id), limit: 5).map(\.id) == [runID])

            // A hangs past its lease: B re-checks the scale-up and finishes it.
            clock.advance(by: .seconds(31))
            await b.tick()
            let onB = try #require(await startedOnB.next())
            #expect(onB.runID == runID && onB.step.index == onA.step.index && onB.step.recheck)
            await b.finished(onB, result: await executorB.execute(onB.step, runID: onB.runID, snapshot: onB.snapshot, dryRun: onB.dryRun))

            // The event ends; its ladder comes due after end + hold and runs on B alone.
            clock.advance(to: event.end.addingTimeInterval(1800))
            await b.tick()
            let ladder = try #require(await startedOnB.next())
            #expect(ladder.step.phase == .ladder && ladder.step.due == event.end.addingTimeInterval(1800))
            await b.finished(ladder, result: await executorB.execute(ladder.step, runID: ladder.runID, snapshot: ladder.snapshot,
                                                                    dryRun: ladder.dryRun))
            executorA.release()
            await a.finished(onA, result: await hung)
            let final = try #require(try await storeA.run(id: runID))
            #expect(final.steps.filter { $0.phase == .actions }.allSatisfy { $0.status == .done })
            #expect(final.steps.first { $0.phase == .ladder }?.status == .done)
            #expect(try await storeA.recordedCalls(runID: runID).filter { $0.step == onA.step.index }.count == 1,
                    "the scale-up was carried out once across both replicas")
        }
    }
}
