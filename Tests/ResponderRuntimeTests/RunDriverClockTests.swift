import Foundation
import ResponderCore
import ResponderRuntime
import ResponderStore
import ResponderTestSupport
import Testing

/// The one run driver on SQLite, driven by a manual clock: the test moves time and awaits each step the executor
/// reports, so due times are checked exactly, with no real waiting and no polling.
@Suite("run driver on a manual clock")
struct RunDriverClockTests {
    @Test("an emergency scale and its ladder: each step once, at its due time to the millisecond, never early")
    func ladderOnTheClock() async throws {
        let folder = try TemporaryFolder("driver-clock")
        defer { folder.remove() }
        let harness = try await DriverHarness.make(path: folder.path + "/responder.sqlite")
        var calls = harness.executor.calls.makeAsyncIterator()
        try await harness.running {
            try await harness.deliver("firing")
            let scaleUp = try #require(await calls.next())
            #expect(scaleUp.detail.contains("12"), "\(scaleUp.detail)")
            #expect(scaleUp.at == DriverHarness.start, "the action runs at once, before any time passes")

            harness.clock.advance(by: .seconds(5))
            try await harness.deliver("resolved")
            let resolvedAt = harness.clock.now.date
            // The ladder: hold 1 s after the resolve, then one level a second. Each advance is one second; the step
            // due then is awaited, and nothing else may have run before it.
            for (offset, level) in [11, 10, 9, 8].enumerated() {
                await harness.clock.waitForSleepers()
                #expect(harness.executor.recorded.count == offset + 1, "no step ran before its due time")
                harness.clock.advance(by: .seconds(1))
                let call = try #require(await calls.next())
                #expect(call.detail.contains("\(level)"), "\(call.detail)")
                #expect(call.at == resolvedAt.addingTimeInterval(Double(offset + 1)), "step \(call.step) at \(call.at)")
            }
        }
        let run = try #require(try await harness.journal.recentRuns(limit: 1).first)
        #expect(run.steps.map(\.status) == Array(repeating: .done, count: 5))
        #expect(harness.executor.recorded.map(\.step) == [0, 1, 2, 3, 4], "each step exactly once")
        #expect(try await harness.journal.unprocessedAlerts(limit: 10).isEmpty, "both alerts handled")
    }

    @Test("a step a crashed process left running is re-checked when the driver starts on the same file, once")
    func restartRechecks() async throws {
        let folder = try TemporaryFolder("driver-restart")
        defer { folder.remove() }
        let path = folder.path + "/responder.sqlite"
        var step = RunSamples.step(0, .action(.scale(target: "worker", change: .to(9))), target: "worker", to: 9)
        step.status = .running
        step.attempts = 1
        // As a process killed mid-step leaves it: the step saved as running (write-ahead), no result.
        try await SQLiteJournal(path: path).save([RunSamples.run("run-1", steps: [step])])

        let harness = try await DriverHarness.make(path: path)
        var calls = harness.executor.calls.makeAsyncIterator()
        try await harness.running {
            let recheck = try #require(await calls.next())
            #expect(recheck.runID == "run-1" && recheck.step == 0 && recheck.recheck,
                    "the running step is re-checked (the executor reads the target first), not blindly repeated")
            await harness.clock.waitForSleepers()
            harness.clock.advance(by: .seconds(60))
            await harness.clock.waitForSleepers()
        }
        #expect(harness.executor.recorded.count == 1, "re-checked once")
        let run = try #require(try await harness.journal.run(id: "run-1"))
        #expect(run.steps[0].status == .done && run.status == .completed, "\(run.steps[0].status) \(run.status)")
    }
}
