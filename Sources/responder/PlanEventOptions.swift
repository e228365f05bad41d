import ArgumentParser
import Foundation
import ResponderCore

/// `responder plan --event`: the timeline a scheduled event would have, read and checked as the events API reads and
/// checks one (``EventRequest``, ``EventRules`` against no other event), planned from the alert it becomes
/// (``EventAlert``) by the planner `plan --alert` uses.
struct PlanEventOptions: ParsableArguments {
    /// `--event`: plan a scheduled event.
    @Flag(help: "Plan a scheduled event (with --playbook, --start and --end) instead of an alert.")
    var event = false

    /// `--playbook`.
    @Option(help: "--event: the pre-event playbook.")
    var playbook: String?

    /// `--start`, as written.
    @Option(help: "--event: start, RFC 3339 with an offset, or a local date-time (2026-12-18T18:00) with --tz.")
    var start: String?

    /// `--end`, as written.
    @Option(help: "--event: end, written like --start.")
    var end: String?

    /// `--tz`.
    @Option(help: "--event: IANA time zone of local times (Europe/Berlin).")
    var tz: String?

    /// `--name`.
    @Option(help: "--event: what people call it (default: the playbook's name).")
    var name: String?

    /// `--label`s.
    @Option(help: "--event: a label for templates, NAME=VALUE (repeatable).")
    var label: [String] = []

    /// `--annotation`s.
    @Option(help: "--event: an annotation for templates, NAME=VALUE (repeatable).")
    var annotation: [String] = []

    /// The id shown for an event that is not scheduled: the server gives the real one.
    static let unscheduledID = "evt-N"

    /// With `--event`: the playbook and both times are there.
    func validateForEvent() throws {
        let missing = [("--playbook", playbook), ("--start", start), ("--end", end)].filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else { throw ValidationError("--event needs \(missing.joined(separator: ", "))") }
    }

    /// With `--alert`: none of the event's options.
    func validateUnused() throws {
        let given = [("--playbook", playbook != nil), ("--start", start != nil), ("--end", end != nil), ("--tz", tz != nil),
                     ("--name", name != nil), ("--label", !label.isEmpty), ("--annotation", !annotation.isEmpty)]
            .filter(\.1).map(\.0)
        guard given.isEmpty else { throw ValidationError("\(given.joined(separator: ", ")) only go with --event") }
    }

    /// Reads the event, checks it at `now`, plans it, and prints the event line and the plan as `format` says.
    func plan(set: PlaybookSet, now: Date, replicas: [String: Int], autoscalerDesired: [String: Int],
              format: PlanCommand.Format) throws {
        let request = EventRequest(playbook: playbook, name: name ?? playbook, start: start, end: end, timeZone: tz,
                                   labels: try pairs(label, "--label"), annotations: try pairs(annotation, "--annotation"),
                                   actor: "plan")
        let draft: EventDraft
        switch request.draft() {
        case .success(let read): draft = read
        case .failure(let problem): throw ValidationError(problem.description)
        }
        let prepareAt: Date
        switch EventRules.check(draft, playbooks: set, others: [], now: now) {
        case .success(let date): prepareAt = date
        case .failure(let problem): throw ValidationError("the event would be refused: \(problem)")
        }
        let event = ScheduledEvent(id: Self.unscheduledID, playbook: draft.playbook, name: draft.name, start: draft.start,
                                   end: draft.end, timeZone: draft.timeZone, prepareAt: prepareAt, labels: draft.labels,
                                   annotations: draft.annotations, scheduledBy: draft.scheduledBy, createdAt: now)
        let plan = Planner.plan(PlanInput(alert: EventAlert.alert(for: event), playbooks: set, replicas: replicas,
                                          autoscalerDesired: autoscalerDesired, now: now))
        switch format {
        case .text:
            print(TerminalText.printable(EventAnnouncement.planned(event) + "\n\n" + PlanTextRenderer.render(plan)), terminator: "")
        case .json:
            let object: [String: Any] = [
                "event": [
                    "playbook": event.playbook, "name": event.name, "start": RFC3339.format(event.start),
                    "end": RFC3339.format(event.end), "time_zone": event.timeZone ?? NSNull(),
                    "prepare_at": RFC3339.format(event.prepareAt),
                ] as [String: Any],
                "plan": try JSONSerialization.jsonObject(with: PlanJSON.encode(plan)),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
