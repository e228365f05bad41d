import Foundation
import ResponderCore

/// The scheduled-event items of a scenario's `events:` — `schedule`, `move_event`, `cancel_event` — and `refused:`.
/// Times are read as the events API reads them (``EventRequest/time(_:zone:field:)``); events are referred to by the
/// name a `schedule` item gave them earlier in the file, or by the name of a recurring schedule's occurrence.
extension ScenarioDecoder {
    /// The names earlier `schedule` items gave, with the line and zone of each.
    struct ScheduledNames {
        /// Name → where it was scheduled and the zone its times were written in.
        var entries: [String: (line: Int, timeZone: String?)] = [:]
    }

    private static let scheduleKeys = ["playbook", "name", "start", "end", "time_zone", "labels", "annotations", "by"]
    private static let eventChanges = ["schedule", "move_event", "cancel_event"]
    /// Longest `by`, as the events API cuts an actor.
    private static let maxActor = 100

    /// `refused:` of an item of kind `kind`: the part of the refusal the item expects, nil when it expects none.
    func expectedRefusal(_ fields: Fields, kind: String) -> String? {
        guard let text = fields.string("refused") else { return nil }
        guard Self.eventChanges.contains(kind) else {
            fields.problem(fields.lineOf("refused"),
                           "\(fields.name("refused")) only applies to \(Self.eventChanges.joined(separator: ", "))")
            return nil
        }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            fields.problem(fields.lineOf("refused"), "\(fields.name("refused")) must be part of the expected refusal, e.g. overlaps")
            return nil
        }
        return text
    }

    /// `schedule: {playbook, name, start, end, time_zone, labels, annotations, by}`.
    func scheduling(_ fields: Fields, refused: String?, names: inout ScheduledNames) -> Scenario.EventScheduling? {
        guard let map = fields.mapping("schedule", allowed: Self.scheduleKeys) else { return nil }
        let before = log.count
        let playbook = map.string("playbook", required: true)
        if let playbook, !Syntax.isName(playbook) {
            map.problem(map.lineOf("playbook"), "\(map.name("playbook")) \"\(playbook)\" is not a playbook name (\(Syntax.namePattern))")
        }
        let zone = timeZone(map)
        let name = map.string("name", required: true)
        if let name {
            if let earlier = names.entries[name] {
                map.problem(map.lineOf("name"), "\(map.name("name")) \"\(name)\" already names the event scheduled at line "
                    + "\(earlier.line): give each event its own name")
            } else {
                names.entries[name] = (map.line, zone.name)
            }
        }
        let start = time(map, "start", zone: zone, required: true)
        let end = time(map, "end", zone: zone, required: true)
        let labels = map.stringMap("labels") ?? []
        let annotations = map.stringMap("annotations") ?? []
        let actor = String((map.string("by") ?? "simulator").prefix(Self.maxActor))
        guard log.count == before, let playbook, let name, let start, let end else { return nil }
        let draft = EventDraft(
            playbook: playbook, name: name, start: start, end: end, timeZone: zone.name,
            labels: Dictionary(labels.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { _, last in last }),
            annotations: Dictionary(annotations.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { _, last in last }),
            scheduledBy: actor
        )
        return Scenario.EventScheduling(draft: draft, refused: refused)
    }

    /// `move_event: {event, start, end, time_zone}`: local times are read in `time_zone`, else in the zone the event
    /// was scheduled in.
    func move(_ fields: Fields, refused: String?, names: ScheduledNames) -> Scenario.EventMove? {
        guard let map = fields.mapping("move_event", allowed: ["event", "start", "end", "time_zone"]) else { return nil }
        let before = log.count
        let name = reference(map, names)
        let given = timeZone(map)
        let zone = given.name == nil && given.valid ? ZoneRead(name: name.flatMap { names.entries[$0]?.timeZone }, valid: true) : given
        if !map.has("start"), !map.has("end") {
            map.problem(map.line, "\(map.path) needs start, end or both")
        }
        let start = time(map, "start", zone: zone, required: false)
        let end = time(map, "end", zone: zone, required: false)
        guard log.count == before, let name else { return nil }
        return Scenario.EventMove(event: name, start: start, end: end, timeZone: given.name, refused: refused)
    }

    /// `cancel_event: {event, cancel, by}`; `cancel` is `ladder` (default) or `abort`.
    func cancellation(_ fields: Fields, refused: String?, names: ScheduledNames) -> Scenario.EventCancellation? {
        guard let map = fields.mapping("cancel_event", allowed: ["event", "cancel", "by"]) else { return nil }
        let before = log.count
        let name = reference(map, names)
        let mode = map.choice("cancel", ScheduledEvent.CancelMode.self) ?? .ladder
        let actor = String((map.string("by") ?? "simulator").prefix(Self.maxActor))
        guard log.count == before, let name else { return nil }
        return Scenario.EventCancellation(event: name, mode: mode, actor: actor, refused: refused)
    }

    /// `event:`: a name an earlier `schedule` item gave, or an occurrence's name (`<schedule name> <local start>`,
    /// checked when the simulation reaches it, since the playbooks make those).
    private func reference(_ map: Fields, _ names: ScheduledNames) -> String? {
        guard let name = map.string("event", required: true) else { return nil }
        guard names.entries[name] == nil, !Self.isOccurrenceName(name) else { return name }
        let known = names.entries.keys.sorted().map { "\"\($0)\"" }
        map.problem(map.lineOf("event"), "\(map.name("event")): no event named \"\(name)\" is scheduled before this item "
            + "(scheduled: \(known.isEmpty ? "none" : known.joined(separator: ", "))); an occurrence of a recurring schedule "
            + "is named after its schedule and local start, e.g. \"labelmint-peak-hours 2026-05-04T08:00\"")
        return nil
    }

    /// True for `<name> <YYYY-MM-DDTHH:MM>`, the name ``EventSchedule`` gives an occurrence.
    private static func isOccurrenceName(_ name: String) -> Bool {
        guard let space = name.lastIndex(of: " "), space != name.startIndex else { return false }
        return LocalDateTime(parsing: String(name[name.index(after: space)...])) != nil
    }

    /// A `time_zone` as read: nil when not given; `valid` is false when it names no IANA zone (reported here).
    private struct ZoneRead {
        var name: String?
        var valid: Bool
    }

    private func timeZone(_ map: Fields) -> ZoneRead {
        guard let text = map.string("time_zone") else { return ZoneRead(name: nil, valid: true) }
        guard IANATimeZone.named(text) != nil else {
            map.problem(map.lineOf("time_zone"), "\(map.name("time_zone")): unknown time zone \"\(text.prefix(64))\"; \(IANATimeZone.hint)")
            return ZoneRead(name: nil, valid: false)
        }
        return ZoneRead(name: text, valid: true)
    }

    /// `key` read as the events API reads a time: RFC 3339 with an offset, or a local date-time in `zone`. Nothing is
    /// read (or reported) when the zone itself is unknown.
    private func time(_ map: Fields, _ key: String, zone: ZoneRead, required: Bool) -> Date? {
        guard let text = map.string(key, required: required), zone.valid else { return nil }
        switch EventRequest.time(text, zone: zone.name, field: map.name(key)) {
        case .success(let instant):
            return instant
        case .failure(let problem):
            map.problem(map.lineOf(key), problem.description)
            return nil
        }
    }
}
