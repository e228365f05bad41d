import Foundation
import ResponderCore
import ResponderRuntime
import ResponderTestSupport
import Synchronization
import Testing

/// What the run driver tells `/metrics` through its callbacks, collected for a test.
final class DriverObservations: Sendable {
    private let state = Mutex<(lateness: [TimeInterval], counts: [RunCounts], results: [StepResult])>(([], [], []))

    /// Lateness of every step handed out, in order.
    var lateness: [TimeInterval] { state.withLock { $0.lateness } }
    /// Every count of the runs, in order.
    var counts: [RunCounts] { state.withLock { $0.counts } }
    /// Every step result the timer service timed.
    var results: [StepResult] { state.withLock { $0.results } }

    /// Keeps a step's lateness.
    func record(lateness: TimeInterval) { state.withLock { $0.lateness.append(lateness) } }
    /// Keeps a count of the runs.
    func record(counts: RunCounts) { state.withLock { $0.counts.append(counts) } }
    /// Keeps a timed step's result.
    func record(result: StepResult) { state.withLock { $0.results.append(result) } }
}

/// The run driver hands `/metrics` each step's lateness against its due time, each step's result with its duration,
/// and the runs by status at its tick; the notification service its outbox backlog.
@Suite("run driver and outbox observations for /metrics")
struct DriverObservationsTests {
    @Test("a step on time is 0 s late, one started 3 s after its due time 3 s; the runs are counted at the tick")
    func latenessAndCounts() async throws {
        let folder = try TemporaryFolder("driver-observations")
        defer { folder.remove() }
        let observations = DriverObservations()
        let harness = try await DriverHarness.make(path: folder.path + "/responder.sqlite", observations: observations)
        var calls = harness.executor.calls.makeAsyncIterator()
        try await harness.running {
            try await harness.deliver("firing")
            _ = try #require(await calls.next())
            harness.clock.advance(by: .seconds(5))
            try await harness.deliver("resolved")
            await harness.clock.waitForSleepers()
            // The first ladder step is due 1 s after the resolve: the clock jumps to 4 s after it.
            harness.clock.advance(by: .seconds(4))
            _ = try #require(await calls.next())
        }
        let lateness = observations.lateness
        #expect(lateness.count >= 2, "\(lateness)")
        #expect(lateness.first == 0, "the emergency scale starts when it is due")
        #expect(lateness.dropFirst().first == 3, "\(lateness)")
        // The driver counts at every tick, the first of which may come before the delivery made the run.
        #expect(observations.counts.contains { $0[.active] == 1 }, "\(observations.counts)")
        #expect(observations.counts.allSatisfy { $0[.active] <= 1 }, "\(observations.counts)")
        #expect(observations.results.count == harness.executor.recorded.count)
        #expect(observations.results.allSatisfy { if case .success = $0 { true } else { false } })
    }

    @Test("a step's lateness is how long after its due time it started, never negative")
    func executionLateness() {
        let due = RunSamples.start
        var step = RunSamples.step(0, .restore, due: due)
        step.startedAt = due.addingTimeInterval(2.5)
        #expect(StepExecution(runID: "run-1", step: step, snapshot: [:], dryRun: true).lateness == 2.5)
        step.startedAt = due.addingTimeInterval(-1)
        #expect(StepExecution(runID: "run-1", step: step, snapshot: [:], dryRun: true).lateness == 0)
        step.due = nil
        #expect(StepExecution(runID: "run-1", step: step, snapshot: [:], dryRun: true).lateness == 0)
    }
}
