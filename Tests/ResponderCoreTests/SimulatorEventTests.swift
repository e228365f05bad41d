import Foundation
import ResponderCore
import Testing

/// Playbooks with scheduled events for simulator tests.
enum EventSimulationFixtures {
    /// 2026-01-01T00:00:00Z.
    static let start = PlannerFixtures.now

    /// `launch` (pre-event, lead 1h, hold 30m): api to 10, then 5 and the floor 2, 10 minutes apart.
    static let launch: Playbook = {
        var playbook = PlannerFixtures.playbook(
            "launch", kind: .preEvent, alertname: "Launch", actions: [.scale(target: "api", change: .to(10))],
            ladder: .init(hold: .zero, every: .seconds(600), levels: [("api", [.replicas(5), .floor])]),
            event: .init(lead: .seconds(3600), hold: .seconds(1800))
        )
        playbook.missedDeadline = .fire
        return playbook
    }()

    /// `launch`, and the other playbooks of a test, on `api` (2..20) and `batch` (1..8).
    static func set(_ playbooks: [Playbook] = []) -> PlaybookSet {
        PlannerFixtures.set([launch] + playbooks, targets: [
            PlannerFixtures.target("api", floor: 2, ceiling: 20), PlannerFixtures.target("batch", floor: 1, ceiling: 8),
        ])
    }

    /// A recurring pre-event playbook on `batch`: to 4 at each occurrence, back to the floor at its end; occurrences
    /// become events `ahead` of their start.
    static func recurring(_ name: String, cron: String, duration: String, zone: String,
                          ahead: Duration = .seconds(86_400)) throws -> Playbook {
        var playbook = PlannerFixtures.playbook(
            name, kind: .preEvent, alertname: name, actions: [.scale(target: "batch", change: .to(4))],
            ladder: .init(hold: .zero, every: .seconds(600), levels: [("batch", [.floor])])
        )
        let window = try RecurringWindow.parse(cron: cron, duration: duration, timeZone: zone)
        playbook.schedule = EventSchedule(window: window, ahead: ahead)
        return playbook
    }

    /// An item at `seconds` from the start, on `line`.
    static func item(_ seconds: Int, _ action: Scenario.Event.Action, line: Int) -> Scenario.Event {
        Scenario.Event(at: .seconds(seconds), action: action, line: line)
    }

    /// `schedule:` of `launch` called `name`, from `startHours` to `endHours` after the start.
    static func schedule(_ name: String, startHours: Double, endHours: Double, refused: String? = nil) -> Scenario.Event.Action {
        .schedule(.init(draft: EventDraft(playbook: "launch", name: name, start: start.addingTimeInterval(startHours * 3600),
                                          end: start.addingTimeInterval(endHours * 3600), scheduledBy: "alice"),
                        refused: refused))
    }

    /// A scenario `e.yaml` from `start` (or `from`) with these items.
    static func scenario(_ events: [Scenario.Event], from: Date = start, until: Int) -> Scenario {
        Scenario(file: "e.yaml", name: "e", start: from, until: .seconds(until), events: events)
    }
}

@Suite("Simulator: scheduled events and recurring schedules, as the server's run driver handles them")
struct SimulatorEventTests {
    /// Short name for the fixtures.
    typealias F = EventSimulationFixtures

    /// `+offset summary` of every step.
    static func steps(_ result: SimulationResult) -> [String] {
        result.steps.map { "+\(Duration.seconds($0.entry.offsetSeconds).playbookText) \($0.step.expectationText)" }
    }

    @Test("a scheduled event prepares at start - lead; a move of its end retimes the ladder to the new end + hold")
    func moveRetimesLadder() {
        let scenario = F.scenario([
            F.item(0, F.schedule("Friday", startHours: 2, endHours: 4), line: 5),
            F.item(3 * 3600, .moveEvent(.init(event: "Friday", end: F.start.addingTimeInterval(5 * 3600))), line: 7),
        ], until: 8 * 3600)
        let result = Simulator.run(scenario, playbooks: F.set())
        #expect(result.passed, "\(result.failures)")
        #expect(Self.steps(result) == [
            "+1h run-1 scale api 2 -> 10", "+5h30m run-1 scale api 10 -> 5", "+5h40m run-1 scale api 5 -> 2",
        ])
        let changes = result.timeline.compactMap { entry -> String? in
            guard case .event(let event) = entry.kind else { return nil }
            return "\(entry.offsetText) \(event.eventID ?? "-") \(event.change.rawValue)"
        }
        #expect(changes == ["+0s evt-1 scheduled", "+1h evt-1 preparing", "+3h evt-1 moved"])
        #expect(result.notifications.contains { $0.entry.offsetSeconds == 3 * 3600 && $0.message.contains("the event now ends") })
    }

    @Test("cancel=abort of a started event aborts its run where it stands: no ladder, the count stays")
    func cancelAbort() {
        let scenario = F.scenario([
            F.item(0, F.schedule("Friday", startHours: 2, endHours: 4), line: 5),
            F.item(9000, .cancelEvent(.init(event: "Friday", mode: .abort, actor: "bob")), line: 7),
        ], until: 8 * 3600)
        let result = Simulator.run(scenario, playbooks: F.set())
        #expect(result.passed, "\(result.failures)")
        #expect(Self.steps(result) == ["+1h run-1 scale api 2 -> 10"])
        #expect(result.runs.map(\.status) == [.aborted])
        #expect(result.runs.first?.endedAt == F.start.addingTimeInterval(9000))
        #expect(result.finalReplicas["api"] == 10)
    }

    @Test("cancel=ladder of a started event starts its ladder now: the hold, then every step")
    func cancelLadder() {
        let scenario = F.scenario([
            F.item(0, F.schedule("Friday", startHours: 2, endHours: 4), line: 5),
            F.item(9000, .cancelEvent(.init(event: "Friday", mode: .ladder, actor: "bob")), line: 7),
        ], until: 8 * 3600)
        let result = Simulator.run(scenario, playbooks: F.set())
        #expect(result.passed, "\(result.failures)")
        // Cancelled at 2h30m: the ladder counts from then (+30m hold), not from the end at 4h.
        #expect(Self.steps(result) == ["+1h run-1 scale api 2 -> 10", "+3h run-1 scale api 10 -> 5", "+3h10m run-1 scale api 5 -> 2"])
        #expect(result.runs.map(\.status) == [.completed])
    }

    @Test("an event cancelled before its preparation never runs, and a second cancel is refused at its line")
    func cancelBeforePreparation() {
        let scenario = F.scenario([
            F.item(0, F.schedule("Friday", startHours: 2, endHours: 4), line: 5),
            F.item(600, .cancelEvent(.init(event: "Friday")), line: 7),
            F.item(700, .cancelEvent(.init(event: "Friday")), line: 9),
        ], until: 8 * 3600)
        let result = Simulator.run(scenario, playbooks: F.set())
        #expect(result.steps.isEmpty && result.runs.isEmpty)
        #expect(result.problems.map(\.description) == [
            "e.yaml:9: cancel of evt-1 \"Friday\" at +11m40s refused: event evt-1 was already cancelled",
        ])
    }

    @Test("a refusal by the rules is a problem at the item's line with the rule's text, or a passed check with refused:")
    func refusals() {
        let overlapping = F.scenario([
            F.item(0, F.schedule("Friday", startHours: 2, endHours: 4), line: 5),
            F.item(60, F.schedule("Saturday", startHours: 3, endHours: 6), line: 7),
            F.item(120, F.schedule("Past", startHours: -1, endHours: 1), line: 9),
        ], until: 3600)
        let result = Simulator.run(overlapping, playbooks: F.set())
        #expect(result.problems.map(\.location.line) == [7, 9])
        #expect(result.problems.first?.message.hasPrefix("schedule of \"Saturday\" (launch) at +1m refused: overlaps evt-1 \"Friday\"") == true,
                "\(result.problems)")
        #expect(result.problems.last?.message.contains("is in the past") == true)

        let expected = F.scenario([
            F.item(0, F.schedule("Friday", startHours: 2, endHours: 4), line: 5),
            F.item(60, F.schedule("Saturday", startHours: 3, endHours: 6, refused: "overlaps evt-1"), line: 7),
            F.item(120, F.schedule("Sunday", startHours: 5, endHours: 6, refused: "overlaps"), line: 9),
        ], until: 3600)
        let checked = Simulator.run(expected, playbooks: F.set())
        #expect(checked.problems.isEmpty)
        #expect(checked.checks.map(\.location.line) == [7, 9])
        #expect(checked.checks.first?.passed == true)
        #expect(checked.checks.last?.failure == "it was accepted at +2m", "Sunday does not overlap: the expected refusal fails")
    }

    @Test("move and cancel of a name no event has are problems at their lines")
    func unknownName() {
        let scenario = F.scenario([
            F.item(0, .cancelEvent(.init(event: "launch 2026-01-01T08:00")), line: 5),
        ], until: 3600)
        let result = Simulator.run(scenario, playbooks: F.set())
        #expect(result.problems.map(\.description) == [
            "e.yaml:5: no event named \"launch 2026-01-01T08:00\" has been scheduled by +0s (events: none)",
        ])
    }

    @Test("a 09:00 Europe/Berlin window starts 08:00Z before the March change and 07:00Z after it")
    func recurringAcrossDaylightSaving() throws {
        let office = try F.recurring("office", cron: "0 9 * * *", duration: "9h", zone: "Europe/Berlin")
        let from = EventTestHelpers.instant("2027-03-26T00:00:00Z")
        let result = Simulator.run(F.scenario([], from: from, until: 4 * 86_400), playbooks: F.set([office]))
        #expect(result.passed, "\(result.failures)")
        let scaleUps = result.steps.filter { $0.step.summary == "scale batch 1 -> 4" }.map { RFC3339.format($0.entry.at) }
        #expect(scaleUps == ["2027-03-26T08:00:00.000Z", "2027-03-27T08:00:00.000Z", "2027-03-28T07:00:00.000Z",
                             "2027-03-29T07:00:00.000Z"])
        // Nine hours of elapsed time each, whatever the clocks do.
        let stepDowns = result.steps.filter { $0.step.summary == "scale batch 4 -> 1" }.map { RFC3339.format($0.entry.at) }
        #expect(stepDowns == ["2027-03-26T17:00:00.000Z", "2027-03-27T17:00:00.000Z", "2027-03-28T16:00:00.000Z",
                              "2027-03-29T16:00:00.000Z"])
        #expect(result.runs.count == 4 && result.runs.allSatisfy { $0.status == .completed })
    }

    @Test("a window at 02:30 Europe/Berlin on 2027-03-28, a time the clocks skip, starts at 03:00 CEST = 01:00Z")
    func skippedLocalHour() throws {
        let night = try F.recurring("night", cron: "30 2 * * *", duration: "1h", zone: "Europe/Berlin")
        let from = EventTestHelpers.instant("2027-03-27T00:00:00Z")
        let result = Simulator.run(F.scenario([], from: from, until: 2 * 86_400 + 3600), playbooks: F.set([night]))
        let scaleUps = result.steps.filter { $0.step.summary == "scale batch 1 -> 4" }.map { RFC3339.format($0.entry.at) }
        #expect(scaleUps == ["2027-03-27T01:30:00.000Z", "2027-03-28T01:00:00.000Z", "2027-03-29T00:30:00.000Z"])
        let names = result.timeline.compactMap { entry -> String? in
            guard case .event(let event) = entry.kind, event.change == .preparing else { return nil }
            return event.name
        }
        #expect(names == ["night 2027-03-27T02:30", "night 2027-03-28T02:30", "night 2027-03-29T02:30"])
    }

    @Test("with ahead 1h each occurrence becomes an event an hour before it starts, though nothing else is due then")
    func occurrencesAnHourAhead() throws {
        let daily = try F.recurring("daily", cron: "0 8 * * *", duration: "2h", zone: "UTC", ahead: .seconds(3600))
        let from = EventTestHelpers.instant("2026-05-04T00:00:00Z")
        let result = Simulator.run(F.scenario([], from: from, until: 3 * 86_400), playbooks: F.set([daily]))
        let scheduled = result.timeline.compactMap { entry -> String? in
            guard case .event(let event) = entry.kind, event.change == .scheduled else { return nil }
            return "\(RFC3339.format(entry.at)) \(event.name)"
        }
        #expect(scheduled == ["2026-05-04T07:00:00.000Z daily 2026-05-04T08:00", "2026-05-05T07:00:00.000Z daily 2026-05-05T08:00",
                              "2026-05-06T07:00:00.000Z daily 2026-05-06T08:00"])
        #expect(result.runs.count == 3 && result.steps.count == 6)
    }

    @Test("an occurrence in progress at the start is late: missed_deadline skip misses it, fire catches it up once")
    func occurrenceInProgressAtStart() throws {
        var skipping = try F.recurring("daily", cron: "0 8 * * *", duration: "18h", zone: "UTC")
        skipping.missedDeadline = .skip
        let from = EventTestHelpers.instant("2026-05-04T10:00:00Z")
        let skipped = Simulator.run(F.scenario([], from: from, until: 3600), playbooks: F.set([skipping]))
        #expect(skipped.steps.isEmpty)
        #expect(skipped.notifications.contains { $0.message.contains("not run: missed: preparation due 2026-05-04T08:00:00.000Z is 7200 s late (missed_deadline: skip)") },
                "\(skipped.notifications.map(\.message))")
        var firing = skipping
        firing.missedDeadline = .fire
        let caughtUp = Simulator.run(F.scenario([], from: from, until: 3600), playbooks: F.set([firing]))
        #expect(Self.steps(caughtUp) == ["+0s run-1 scale batch 1 -> 4"])
    }
}
