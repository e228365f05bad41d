import Foundation
import ResponderCore
import ResponderRuntime
import ResponderStore
import ResponderTestSupport
import Testing

/// A scheduled event through the one run driver on a manual clock: nothing happens before its preparation time, then
/// its alert is journaled once, its run starts with the actions at start − lead, and the ladder comes after end + hold.
@Suite("scheduled events through the run driver")
struct RunDriverEventTests {
    static let playbook = LaunchPlaybook.yaml(target: "worker", lead: "1h", hold: "30m", scaleTo: 15, every: "10m", level: 8)

    @Test("prepared at start − lead (not a second earlier), one run, actions then the ladder after end + hold")
    func preparesOnTime() async throws {
        let folder = try TemporaryFolder("driver-event")
        defer { folder.remove() }
        let harness = try await DriverHarness.make(path: folder.path + "/responder.sqlite", playbook: Self.playbook)
        let start = DriverHarness.start.addingTimeInterval(3 * 3600)
        let end = start.addingTimeInterval(2 * 3600)
        let draft = EventDraft(playbook: "launch", name: "Friday launch", start: start, end: end, scheduledBy: "alice")
        let event = try await harness.journal.scheduleEvent(draft, at: DriverHarness.start) { _ in
            .success(start.addingTimeInterval(-3600))
        }.get()
        var calls = harness.executor.calls.makeAsyncIterator()
        try await harness.running {
            // Up to one second before the preparation time: nothing. (Two sleepers: the timer loop and the ingest loop.)
            await harness.clock.waitForSleepers(2)
            harness.clock.advance(to: event.prepareAt.addingTimeInterval(-1))
            await harness.clock.waitForSleepers(2)
            #expect(harness.executor.recorded.isEmpty)
            #expect(try await harness.journal.recentAlerts(limit: 5).isEmpty, "not journaled before its time")

            harness.clock.advance(by: .seconds(1))
            let scale = try #require(await calls.next())
            #expect(scale.detail.contains("15") && scale.at == event.prepareAt, "\(scale.detail) at \(scale.at)")

            await harness.clock.waitForSleepers(2)
            harness.clock.advance(to: end.addingTimeInterval(1800 - 1))
            await harness.clock.waitForSleepers(2)
            #expect(harness.executor.recorded.count == 1, "the ladder waits for end + hold")
            harness.clock.advance(by: .seconds(1))
            let ladder = try #require(await calls.next())
            #expect(ladder.detail.contains("8") && ladder.at == end.addingTimeInterval(1800), "\(ladder.detail) at \(ladder.at)")
        }
        let alerts = try await harness.journal.recentAlerts(limit: 5)
        #expect(alerts.map(\.alert.fingerprint) == ["event-evt-1"], "journaled once")
        let runs = try await harness.journal.recentRuns(limit: 5)
        #expect(runs.count == 1 && runs.first?.playbook == "launch" && runs.first?.alertFingerprint == "event-evt-1")
        #expect(try await harness.journal.event(id: "evt-1")?.preparedAt == event.prepareAt)
    }

    @Test("a cancelled event never prepares")
    func cancelledNeverRuns() async throws {
        let folder = try TemporaryFolder("driver-event")
        defer { folder.remove() }
        let harness = try await DriverHarness.make(path: folder.path + "/responder.sqlite", playbook: Self.playbook)
        let start = DriverHarness.start.addingTimeInterval(3600)
        let draft = EventDraft(playbook: "launch", name: "launch", start: start, end: start.addingTimeInterval(600), scheduledBy: "a")
        let event = try await harness.journal.scheduleEvent(draft, at: DriverHarness.start) { _ in .success(start) }.get()
        _ = try await harness.journal.cancelEvent(id: event.id, by: "bob", mode: .ladder, at: DriverHarness.start)
        try await harness.running {
            await harness.clock.waitForSleepers(2)
            harness.clock.advance(to: start.addingTimeInterval(60))
            await harness.clock.waitForSleepers(2)
        }
        #expect(harness.executor.recorded.isEmpty)
        #expect(try await harness.journal.recentAlerts(limit: 5).isEmpty)
    }
}
