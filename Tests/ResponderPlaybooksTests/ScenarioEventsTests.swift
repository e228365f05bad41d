import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// Scenario files with scheduled events and recurring schedules: the event items as loaded, and the shipped scenarios
/// about recurring windows (their broken snippets are with the others in ``ScenarioLoaderTests``).
@Suite("Scenario files: scheduled events and recurring schedules")
struct ScenarioEventsTests {
    @Test("schedule, move_event and cancel_event read times as the events API does; events are named")
    func eventItems() throws {
        let text = """
            name: t
            start: 2026-01-01T00:00:00Z
            until: 3d
            events:
              - at: 0s
                schedule:
                  playbook: launch
                  name: Friday
                  start: 2026-01-02T09:00
                  end: 2026-01-02T18:00
                  time_zone: Europe/Berlin
                  annotations: {event_name: Friday}
                  by: alice
              - at: 1h
                move_event: {event: Friday, end: 2026-01-02T20:00}
              - at: 2h
                cancel_event: {event: Friday, cancel: abort, by: bob}
              - at: 3h
                schedule: {playbook: launch, name: Saturday, start: "2026-01-03T09:00:00+01:00", end: "2026-01-03T10:00:00Z"}
                refused: overlaps
              - at: 4h
                cancel_event: {event: "labelmint-peak-hours 2026-05-06T08:00"}

            """
        let scenario = try ScenarioLoader.load(text: text, file: "t.yaml", directory: Shipped.scenarios).get()
        let actions = scenario.events.map(\.action)
        #expect(scenario.events.map(\.line) == [5, 14, 16, 18, 21])
        guard actions.count == 5, case .schedule(let friday) = actions[0], case .moveEvent(let move) = actions[1],
              case .cancelEvent(let cancel) = actions[2], case .schedule(let saturday) = actions[3],
              case .cancelEvent(let occurrence) = actions[4] else {
            Issue.record("unexpected items: \(actions)")
            return
        }
        // 09:00 and 18:00 CET are 08:00Z and 17:00Z; the move's 20:00 is read in the event's zone too.
        #expect(RFC3339.format(friday.draft.start) == "2026-01-02T08:00:00.000Z")
        #expect(RFC3339.format(friday.draft.end) == "2026-01-02T17:00:00.000Z")
        #expect(friday.draft.timeZone == "Europe/Berlin" && friday.draft.scheduledBy == "alice" && friday.refused == nil)
        #expect(friday.draft.annotations == ["event_name": "Friday"])
        #expect(move.event == "Friday" && move.start == nil && move.timeZone == nil)
        #expect(move.end.map(RFC3339.format) == "2026-01-02T19:00:00.000Z")
        #expect(cancel == Scenario.EventCancellation(event: "Friday", mode: .abort, actor: "bob"))
        #expect(saturday.refused == "overlaps" && RFC3339.format(saturday.draft.start) == "2026-01-03T08:00:00.000Z")
        #expect(saturday.draft.scheduledBy == "simulator")
        #expect(occurrence == Scenario.EventCancellation(event: "labelmint-peak-hours 2026-05-06T08:00"))
    }

    @Test("labelmint-peak-hours: two days of scale-ups at 08:00 and step-downs after 02:00 UTC, the third day cancelled")
    func peakHours() throws {
        let scenario = try ScenarioLoader.load(path: Shipped.scenarios + "/labelmint-peak-hours.yaml").get()
        let result = Simulator.run(scenario, playbooks: try Shipped.set())
        #expect(result.passed, "\(result.failures.map(\.description))")
        let moves = result.steps.filter { $0.step.action == "scale" }.map { "\(RFC3339.format($0.entry.at)) \($0.step.summary)" }
        #expect(moves == [
            "2026-05-04T08:00:00.000Z scale labelmint-backend 2 -> 4", "2026-05-04T08:00:00.000Z scale labelmint-worker 3 -> 6",
            "2026-05-05T02:00:00.000Z scale labelmint-backend 4 -> 3", "2026-05-05T02:00:00.000Z scale labelmint-worker 6 -> 5",
            "2026-05-05T02:10:00.000Z scale labelmint-backend 3 -> 2", "2026-05-05T02:10:00.000Z scale labelmint-worker 5 -> 3",
            "2026-05-05T08:00:00.000Z scale labelmint-backend 2 -> 4", "2026-05-05T08:00:00.000Z scale labelmint-worker 3 -> 6",
            "2026-05-06T02:00:00.000Z scale labelmint-backend 4 -> 3", "2026-05-06T02:00:00.000Z scale labelmint-worker 6 -> 5",
            "2026-05-06T02:10:00.000Z scale labelmint-backend 3 -> 2", "2026-05-06T02:10:00.000Z scale labelmint-worker 5 -> 3",
        ])
    }

    @Test("samples/recurring: the DST scenario passes against its own playbooks; 09:00 Berlin is 08:00Z, then 07:00Z")
    func daylightSavingSample() throws {
        let folder = Shipped.root + "/samples/recurring/Playbooks"
        let set: PlaybookSet
        switch PlaybookLoader.load(directory: folder) {
        case .success(let loaded): set = loaded
        case .failure(let problems): throw problems
        }
        let scenario = try ScenarioLoader.load(path: folder + "/scenarios/semantics-recurring-window-across-dst.yaml").get()
        let result = Simulator.run(scenario, playbooks: set)
        #expect(result.passed, "\(result.failures.map(\.description))")
        #expect(result.checks.count == 11 && result.checks.allSatisfy(\.passed))
        let office = result.steps.filter { $0.step.summary == "scale office-api 2 -> 6" }.map { RFC3339.format($0.entry.at) }
        #expect(office == ["2027-03-27T08:00:00.000Z", "2027-03-28T07:00:00.000Z"])
        let batch = result.steps.filter { $0.step.summary == "scale office-batch 1 -> 4" }.map { RFC3339.format($0.entry.at) }
        #expect(batch == ["2027-03-27T01:30:00.000Z", "2027-03-28T01:00:00.000Z", "2027-03-29T00:30:00.000Z"])
    }
}
