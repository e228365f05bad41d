import Foundation
import ResponderCore
import ResponderRuntime
import ResponderStore
import ResponderTestSupport
import Testing

/// A playbook's recurring schedule and scheduled events across downtime, through the one run driver on a real SQLite
/// file and a manual clock: occurrences become events once, each runs, a cancelled one does not; after a restart in
/// the middle of a window the run continues where it was, and windows missed while down are caught up once or missed.
@Suite("recurring schedules and restarts through the run driver")
struct RunDriverScheduleTests {
    /// A 02:00–04:00 UTC nightly window on `worker`: scale to 15 an hour before, step down to 8 half an hour after.
    static let playbook = """
        targets:
          - name: worker
            compose: {project: shop, service: worker}
            bounds: {floor: 2, ceiling: 20}
        playbooks:
          - name: nightly
            kind: pre-event
            match: {matchers: ['alertname="Nightly"']}
            event: {lead: 1h, hold: 30m}
            schedule: {cron: "0 2 * * *", duration: 2h, timezone: UTC, ahead: 2d, name: Nightly batch}
            missed_deadline: fire
            actions:
              - scale: {target: worker, to: 15}
            step_down:
              every: 10m
              levels:
                worker: [8]
        """

    static func at(_ text: String) -> Date { RFC3339.parse(text)! }

    @Test("occurrences become events two days ahead, once each; each runs; a cancelled occurrence neither runs nor returns")
    func occurrences() async throws {
        let folder = try TemporaryFolder("driver-schedule")
        defer { folder.remove() }
        let harness = try await DriverHarness.make(path: folder.path + "/responder.sqlite", playbook: Self.playbook)
        var calls = harness.executor.calls.makeAsyncIterator()
        try await harness.running {
            await harness.clock.waitForSleepers(2)
            let first = try await harness.journal.events(endingAfter: nil, limit: 10)
            #expect(first.map(\.start) == [Self.at("2026-01-01T02:00:00Z"), Self.at("2026-01-02T02:00:00Z")], "\(first)")
            #expect(first.map(\.occurrence) == ["2026-01-01T02:00 UTC", "2026-01-02T02:00 UTC"])
            #expect(first.allSatisfy { $0.scheduledBy == "schedule" && $0.name.hasPrefix("Nightly batch ") })
            _ = try await harness.journal.cancelEvent(id: "evt-2", by: "alice", mode: .ladder, at: harness.clock.now.date)

            harness.clock.advance(to: Self.at("2026-01-01T01:00:00Z"))
            let scale = try #require(await calls.next())
            #expect(scale.detail.contains("15") && scale.at == Self.at("2026-01-01T01:00:00Z"))
            await harness.clock.waitForSleepers(2)
            harness.clock.advance(to: Self.at("2026-01-01T04:30:00Z"))
            let down = try #require(await calls.next())
            #expect(down.detail.contains("8") && down.at == Self.at("2026-01-01T04:30:00Z"), "\(down.detail) at \(down.at)")

            // The next day: the cancelled occurrence stays cancelled and is not created again; the day after appears.
            await harness.clock.waitForSleepers(2)
            harness.clock.advance(to: Self.at("2026-01-02T06:00:00Z"))
            await harness.clock.waitForSleepers(2)
            let events = try await harness.journal.events(endingAfter: nil, limit: 10)
            #expect(events.map(\.occurrence) == ["2026-01-01T02:00 UTC", "2026-01-02T02:00 UTC", "2026-01-03T02:00 UTC",
                                                 "2026-01-04T02:00 UTC"], "\(events.map(\.occurrence))")
            #expect(events[1].cancelledBy == "alice" && events[1].preparedAt == nil)
        }
        #expect(harness.executor.recorded.count == 2, "the cancelled occurrence ran nothing: \(harness.executor.recorded)")
        #expect(try await harness.journal.recentRuns(limit: 10).count == 1)
    }

    @Test("a restart in the middle of a window continues the run; windows missed while down: the running one once, ended ones missed")
    func restartMidWindow() async throws {
        let folder = try TemporaryFolder("driver-schedule")
        defer { folder.remove() }
        let path = folder.path + "/responder.sqlite"
        let first = try await DriverHarness.make(path: path, playbook: Self.playbook)
        var calls = first.executor.calls.makeAsyncIterator()
        try await first.running {
            await first.clock.waitForSleepers(2)
            first.clock.advance(to: Self.at("2026-01-01T01:00:00Z"))
            let scale = try #require(await calls.next())
            #expect(scale.detail.contains("15"))
            await first.clock.waitForSleepers(2)
            // Stopped at 02:30, in the middle of the window.
        }

        // Down until 03:00 on the 3rd: the 2nd's window ended while down, the 3rd's is running.
        let second = try await DriverHarness.make(path: path, playbook: Self.playbook)
        second.clock.advance(to: Self.at("2026-01-03T03:00:00Z"))
        var after = second.executor.calls.makeAsyncIterator()
        let resumedCalls = try await second.running {
            // The 1st's overdue ladder step (missed_deadline: fire) and the 3rd's scale-up, in either order.
            [try #require(await after.next()), try #require(await after.next())]
        }
        #expect(Set(resumedCalls.map(\.detail)) == ["replicas 15 -> 8", "replicas 3 -> 15"], "\(resumedCalls.map(\.detail))")
        let events = try await second.journal.events(endingAfter: nil, limit: 10)
        let byOccurrence = Dictionary(uniqueKeysWithValues: events.compactMap { event in event.occurrence.map { ($0, event) } })
        #expect(byOccurrence["2026-01-02T02:00 UTC"]?.cancelledBy == "responder", "a window that ended while down is missed")
        #expect(byOccurrence["2026-01-03T02:00 UTC"]?.preparedAt == Self.at("2026-01-03T03:00:00Z"), "the running one is caught up")
        let runs = try await second.journal.recentRuns(limit: 10)
        #expect(runs.count == 2, "the 1st's run, and one for the 3rd: \(runs.map(\.alertFingerprint))")
        let resumed = try #require(runs.first { $0.alertFingerprint == EventAlert.fingerprint(byOccurrence["2026-01-01T02:00 UTC"]?.id ?? "") })
        #expect(resumed.steps.filter { $0.phase == .actions }.map(\.status) == [.done], "the 1st's scale-up ran once")
        #expect(resumed.steps.first { $0.phase == .ladder }?.status == .done, "its ladder ran after the restart")
        let actions = second.executor.recorded.filter { $0.detail.hasSuffix("-> 15") }
        #expect(actions.count == 1 && actions.first?.at == Self.at("2026-01-03T03:00:00Z"), "caught up once: \(second.executor.recorded)")
    }
}
