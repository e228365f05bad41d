import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// The repository's pre-event playbooks (seeds 001–004) are run by scheduling events: each accepts an event, prepares
/// it at start − its lead, and plans every step of its procedure with a due time.
@Suite("default playbooks: pre-event procedures as scheduled events")
struct DefaultPlaybookEventsTests {
    @Test("every pre-event playbook in Playbooks/ schedules an event and plans its whole procedure from it")
    func everyPreEventPlaybook() throws {
        let set = try PlaybookLoader.load(directory: DefaultPlaybooksTests.root + "/Playbooks").get()
        let preEvent = set.playbooks.filter { $0.kind == .preEvent }
        #expect(Set(preEvent.map(\.name)).isSuperset(of: ["autolytiq-pre-event", "labelmint-pre-event", "saveit-pre-event",
                                                         "skillancer-pre-event"]), "\(preEvent.map(\.name))")
        let now = RFC3339.parse("2027-11-01T00:00:00Z")!
        for playbook in preEvent {
            let start = now.addingTimeInterval(10 * 86_400)
            let draft = EventDraft(playbook: playbook.name, name: "launch", start: start, end: start.addingTimeInterval(6 * 3600),
                                   timeZone: "Europe/Berlin", scheduledBy: "test")
            let prepareAt = try EventRules.check(draft, playbooks: set, others: [], now: now).get()
            #expect(prepareAt == start.addingTimeInterval(-(playbook.event?.lead ?? .zero).timeInterval), "\(playbook.name)")
            let event = ScheduledEvent(id: "evt-1", playbook: playbook.name, name: "launch", start: start, end: draft.end,
                                       prepareAt: prepareAt, scheduledBy: "test", createdAt: now)
            let plan = Planner.plan(PlanInput(alert: EventAlert.alert(for: event), playbooks: set, now: prepareAt))
            let timeline = try #require(plan.timelines.first, "\(playbook.name) plans its event")
            #expect(plan.timelines.map(\.playbook) == [playbook.name])
            // Undo and cleanup steps have no time of their own: they run when the run ends, whenever that is.
            let timed = timeline.steps.filter { $0.phase != .undo }
            #expect(!timed.isEmpty && timed.allSatisfy { $0.due != nil }, "\(playbook.name): every step but the undo has a time")
            #expect(timeline.steps.filter { $0.phase == .undo }.allSatisfy { $0.due == nil && $0.anchor == .runEnd },
                    "\(playbook.name): undo steps are due when the run ends")
            let ladder = timeline.steps.filter { $0.phase == .ladder }
            #expect(ladder.allSatisfy { ($0.due ?? .distantPast) >= draft.end }, "\(playbook.name): the step-down comes after the end")
        }
    }
}
