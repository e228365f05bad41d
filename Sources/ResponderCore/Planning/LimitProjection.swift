import Foundation

/// What the blast-radius limits would do to one plan on its own (no other run acting): its steps in time order
/// (the ladder counted from a resolve right after the actions, the densest case), counted with the same arithmetic as
/// the engine (``StepGuard/freesAt(_:times:now:)``). A step over a rate limit moves to when the window has room and
/// the steps after it move as much; one that would touch a target past `targets_per_run` is held for an
/// acknowledgement. Restores and undo steps count but are never stopped.
public enum LimitProjection {
    /// Notes for the steps the limits would stop, by plan step index.
    public static func notes(for steps: [Plan.Step], playbook: Playbook, limits: ActionLimits?) -> [Int: [String]] {
        let sets = [(limits, "the configuration's"), (playbook.limits, "the playbook's")].compactMap { set, owner in
            set.map { ($0, owner) }
        }
        guard !sets.isEmpty else { return [:] }
        let origin = Date(timeIntervalSince1970: 0)
        var notes: [Int: [String]] = [:]
        var done: [(target: String?, at: Date)] = []
        var touched: [String] = []
        var delay: TimeInterval = 0
        let ordered = steps.filter { $0.phase != .undo }.enumerated()
            .sorted { ($0.element.offsetSeconds, $0.offset) < ($1.element.offsetSeconds, $1.offset) }.map(\.element)
        for step in ordered {
            var at = origin.addingTimeInterval(TimeInterval(step.offsetSeconds) + delay)
            let exempt = step.action == "restore"
            for (set, owner) in sets where !exempt {
                if let cap = set.targetsPerRun, let target = step.target, !touched.contains(target), touched.count >= cap {
                    notes[step.index, default: []].append("would be held for an acknowledgement: \(owner) limit targets_per_run "
                        + "(at most \(cap) target(s) per run) is reached by \(touched.joined(separator: ", "))")
                }
                let rates = [(set.perTarget, "per_target", step.target), (set.total, "total", nil)]
                for case let (rate?, name, target) in rates where name == "total" || target != nil {
                    let times = done.filter { target == nil || $0.target == target }.map(\.at)
                    guard let frees = StepGuard.freesAt(rate, times: times, now: at) else { continue }
                    let wait = frees.timeIntervalSince(at)
                    let scope = target.map { " on \($0)" } ?? " in total"
                    notes[step.index, default: []].append("would wait \(Duration.seconds(Int(saturating: wait.rounded(.up))).playbookText) "
                        + "(\(owner) limit \(name): \(rate.text)\(scope)); the steps after it move as much later")
                    delay += wait
                    at = frees
                }
            }
            if let target = step.target, !touched.contains(target) { touched.append(target) }
            done.append((step.target, at))
        }
        return notes
    }
}
