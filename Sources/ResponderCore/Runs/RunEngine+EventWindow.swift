import Foundation

/// A scheduled event's run told of a new end: the event was moved, cancelled with its ladder starting now, or a later
/// event of an `event.overlap: extend` playbook joined it.
extension RunEngine {
    /// Retimes the pending ladder steps of `run` (those counted from the event's end) to count from `end`; with
    /// `onlyLater`, only when that moves them later (an extension never shortens a window). A step is never put
    /// before `now`. Returns the effect telling people, nil when nothing moved.
    mutating func retimeLadder(_ run: inout Run, end: Date, onlyLater: Bool, because reason: String, now: Date) -> EngineEffect? {
        let pending = run.steps.indices.filter { run.steps[$0].anchor == .eventEnd && run.steps[$0].status == .pending }
        guard let first = pending.first, let firstDue = run.steps[first].due else { return nil }
        let currentEnd = firstDue.addingTimeInterval(-TimeInterval(run.steps[first].offsetSeconds))
        guard currentEnd != end, !onlyLater || end > currentEnd else { return nil }
        for index in pending {
            let offset = TimeInterval(run.steps[index].offsetSeconds)
            run.steps[index].due = max(end.addingTimeInterval(offset), now)
            run.steps[index].scheduledAt = now
        }
        let next = run.steps[first].due.map(RFC3339.format) ?? "now"
        record(&run, now, "\(reason): the event now ends \(RFC3339.format(end)); the step-down starts \(next)")
        store(run)
        return .notify(runID: run.id, message: "run \(run.id) (\(run.playbook)): \(reason); the event now ends "
            + "\(RFC3339.format(end)) and the step-down starts \(next)")
    }

    /// The event end a run's ladder counts from (its first step anchored there, whatever its state), nil when it has none.
    static func windowEnd(of run: Run) -> Date? {
        guard let step = run.steps.first(where: { $0.anchor == .eventEnd && $0.due != nil }), let due = step.due else { return nil }
        return due.addingTimeInterval(-TimeInterval(step.offsetSeconds))
    }

    /// The end an event alert carries (`event_end`), when it is one.
    static func eventEnd(of alert: NormalizedAlert) -> Date? {
        guard alert.source == .event else { return nil }
        return alert.annotations["event_end"].flatMap(RFC3339.parse)
    }
}
