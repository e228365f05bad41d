import Foundation
import ResponderCore
import Testing

/// Scheduling rules for events and the alert an event becomes, on code-built playbooks.
@Suite("events: scheduling rules and the alert an event becomes")
struct EventRulesTests {
    static let now = PlannerFixtures.now
    static let launch = PlannerFixtures.playbook(
        "launch", kind: .preEvent, alertname: "LaunchScheduled", actions: [.scale(target: "api", change: .to(10))],
        ladder: .init(hold: .seconds(3600), every: .seconds(1800), levels: [("api", [.replicas(6), .floor])]),
        event: .init(lead: .seconds(86_400), hold: .seconds(3600))
    )
    static let billing = PlannerFixtures.playbook(
        "billing", kind: .preEvent, alertname: "Billing", actions: [.scale(target: "worker", change: .to(8))],
        event: .init(lead: .seconds(1800), hold: .zero)
    )
    static let spike = PlannerFixtures.playbook(
        "spike", kind: .emergencyScale, alertname: "Spike", actions: [.scale(target: "api", change: .by(2))]
    )
    static let set = PlannerFixtures.set([launch, billing, spike], targets: [
        PlannerFixtures.target("api", floor: 2, ceiling: 20), PlannerFixtures.target("worker", floor: 1, ceiling: 10),
    ])

    static func draft(_ playbook: String = "launch", startIn hours: Double = 48, length: Double = 4) -> EventDraft {
        EventDraft(playbook: playbook, name: "Friday launch", start: now.addingTimeInterval(hours * 3600),
                   end: now.addingTimeInterval((hours + length) * 3600), scheduledBy: "alice")
    }

    static func event(_ id: String, _ draft: EventDraft, cancelled: Bool = false) -> ScheduledEvent {
        ScheduledEvent(id: id, playbook: draft.playbook, name: draft.name, start: draft.start, end: draft.end,
                       prepareAt: draft.start, scheduledBy: draft.scheduledBy, createdAt: now,
                       cancelledAt: cancelled ? now : nil)
    }

    @Test("a valid event prepares at start minus the playbook's lead")
    func prepareAt() throws {
        let prepared = try EventRules.check(Self.draft(), playbooks: Self.set, others: [], now: Self.now).get()
        #expect(prepared == Self.now.addingTimeInterval(24 * 3600))
    }

    @Test("unknown playbook, a playbook that is not pre-event, end before start, a start in the past: each says what to do")
    func refusals() {
        func problem(_ draft: EventDraft) -> EventProblem? {
            if case .failure(let problem) = EventRules.check(draft, playbooks: Self.set, others: [], now: Self.now) { return problem }
            return nil
        }
        let unknown = problem(Self.draft("lunch"))
        #expect(unknown == .unknownPlaybook("lunch", preEvent: ["billing", "launch"]))
        #expect(unknown?.description.contains("pre-event playbooks: billing, launch") == true)
        #expect(problem(Self.draft("spike")) == .notPreEvent("spike", kind: "emergency-scale"))
        var backwards = Self.draft()
        backwards.end = backwards.start.addingTimeInterval(-60)
        #expect(problem(backwards)?.description.contains("must be after the start") == true)
        #expect(problem(Self.draft(startIn: -0.05)) == nil, "3 minutes late is within the grace")
        let late = problem(Self.draft(startIn: -1))
        #expect(late?.description.contains("is in the past") == true, "\(String(describing: late))")
        #expect(problem(Self.draft(length: 24 * 40))?.description.contains("longer than 31 days") == true)
        var reserved = Self.draft()
        reserved.labels = ["responder_playbook": "spike"]
        #expect(problem(reserved) == .invalidText("labels: responder_playbook is reserved (names starting with responder_)"))
        var unnamed = Self.draft()
        unnamed.name = "  "
        #expect(problem(unnamed) == .invalidText("name is empty"))
    }

    @Test("an overlapping event on the same targets is refused and named; other targets, cancelled ones and the event being moved are not")
    func overlaps() {
        let existing = Self.event("evt-1", Self.draft(startIn: 50, length: 4))
        let result = EventRules.check(Self.draft(startIn: 48, length: 4), playbooks: Self.set, others: [existing], now: Self.now)
        guard case .failure(.overlaps(let clashes)) = result else {
            Issue.record("expected an overlap, got \(result)")
            return
        }
        #expect(clashes.map(\.id) == ["evt-1"] && clashes.first?.targets == ["api"])
        #expect(EventProblem.overlaps(clashes).description.contains("evt-1 \"Friday launch\""))
        let otherTargets = Self.event("evt-2", Self.draft("billing", startIn: 49))
        let cancelled = Self.event("evt-3", Self.draft(startIn: 49), cancelled: true)
        let after = Self.event("evt-4", Self.draft(startIn: 52, length: 1))
        #expect((try? EventRules.check(Self.draft(startIn: 48, length: 4), playbooks: Self.set,
                                       others: [otherTargets, cancelled, after], now: Self.now).get()) != nil,
                "touching end to start is not an overlap")
        #expect((try? EventRules.check(Self.draft(startIn: 49), playbooks: Self.set, others: [existing], moving: existing,
                                       now: Self.now).get()) != nil, "moving an event does not clash with itself")
    }

    @Test("the event's alert: source event, its window, labels for templates, a key per revision; only its playbook matches")
    func alert() throws {
        var event = Self.event("evt-7", Self.draft())
        event.labels = ["team": "web"]
        event.revision = 3
        let alert = EventAlert.alert(for: event)
        #expect(alert.source == .event && alert.status == .firing)
        #expect(alert.fingerprint == "event-evt-7" && alert.idempotencyKey == "event/evt-7/r3")
        #expect(alert.labels["team"] == "web" && alert.labels["responder_event"] == "evt-7")
        #expect(alert.annotations["event_start"] == RFC3339.format(event.start))
        let plan = Planner.plan(PlanInput(alert: alert, playbooks: Self.set, now: Self.now))
        #expect(plan.timelines.map(\.playbook) == ["launch"])
        let timeline = try #require(plan.timelines.first)
        #expect(timeline.steps.first?.due == event.start.addingTimeInterval(-86_400))
        #expect(timeline.steps.last?.anchor == .eventEnd)

        // A webhook alert carrying the same labels is matched by matchers as always, never by the label.
        var forged = PlannerFixtures.alert("Spike", labels: ["responder_playbook": "launch"])
        forged.source = .alertmanager
        #expect(Planner.plan(PlanInput(alert: forged, playbooks: Self.set, now: Self.now)).timelines.map(\.playbook) == ["spike"])
    }

    @Test("status follows the run and the clock")
    func status() {
        var event = Self.event("evt-1", Self.draft())
        #expect(EventStatus.of(event, run: nil, now: Self.now) == .scheduled)
        event.preparedAt = Self.now
        #expect(EventStatus.of(event, run: nil, now: Self.now) == .preparing)
        #expect(EventStatus.of(event, run: nil, now: event.start) == .live)
        #expect(EventStatus.of(event, run: nil, now: event.end) == .steppingDown)
        event.cancelledAt = Self.now
        #expect(EventStatus.of(event, run: nil, now: Self.now) == .cancelled)
    }
}
