import Foundation

/// Why a stored run cannot be used: a value outside what the engine ever writes (a row edited by hand, or damaged).
public struct RunValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run's id as stored.
    public var runID: String
    /// The field and what is wrong with it, e.g. `steps[2].attempts 9223372036854775807 is outside 0 to 1,000`.
    public var problem: String

    /// `run run-7 is not usable: steps[2].attempts ... ; fix or delete the row`.
    public var description: String {
        "run \(runID) is not usable: \(problem); fix or delete its row (the other runs are unaffected)"
    }
}

extension Run {
    /// Largest `run-N` number accepted: far above any real count, and far from `Int.max`, so ids never overflow.
    public static let maxNumber = 1_000_000_000_000_000
    /// Largest step offset from its anchor, in seconds (either way): more than any playbook can produce (a ladder of
    /// 1,000 levels 366 days apart), and far from what a date computation could overflow.
    public static let maxOffsetSeconds = 1_000_000_000_000

    /// Checks every number and time the engine computes with: run id number, dates within
    /// ``RFC3339/acceptedRange``, step offsets, attempts, replica counts and the policy's windows. A stored run that
    /// fails is left alone (reported, never loaded), so nothing computed from it can trap.
    public func validate() throws(RunValidationError) {
        func fail(_ problem: String) -> RunValidationError { RunValidationError(runID: id, problem: problem) }
        func date(_ value: Date?, _ field: String) throws(RunValidationError) {
            guard let value, !RFC3339.acceptedRange.contains(value) else { return }
            throw fail("\(field) \(value.timeIntervalSince1970) s since 1970 is not \(RFC3339.acceptedYears)")
        }
        guard let number = RunEngine.number(ofRunID: id), (1...Self.maxNumber).contains(number) else {
            throw fail("the id must be run-N with N from 1 to \(Limits.grouped(Self.maxNumber))")
        }
        let runDates: [(Date?, String)] = [(startedAt, "startedAt"), (resolvedAt, "resolvedAt"), (heldAt, "heldAt"),
                                           (endedAt, "endedAt")]
        for (value, field) in runDates { try date(value, field) }
        for (index, event) in history.enumerated() { try date(event.at, "history[\(index)].at") }
        for field in [("dedupWindow", policy.dedupWindow), ("cooldown", policy.cooldown)] where !Limits.duration.contains(field.1) {
            // Not printed: `playbookText` of a duration past Int64 seconds would itself trap.
            throw fail("policy.\(field.0) is outside \(Limits.text(Limits.duration))")
        }
        if let problem = policy.limits?.problem() { throw fail("policy.limits.\(problem)") }
        for (index, step) in steps.enumerated() {
            if let problem = step.problem() { throw fail("steps[\(index)].\(problem)") }
        }
    }
}

extension RunStep {
    /// What is out of range in this step (`attempts 9223372036854775807 is outside 0 to 1,000`), nil when nothing
    /// is: its times, offset, attempts, replica counts and action, as ``Run/validate()`` checks them.
    public func problem() -> String? {
        let dates: [(Date?, String)] = [(due, "due"), (scheduledAt, "scheduledAt"), (startedAt, "startedAt"),
                                        (finishedAt, "finishedAt"), (blocked?.since, "blocked.since")]
        for (value, field) in dates {
            if let value, !RFC3339.acceptedRange.contains(value) {
                return "\(field) \(value.timeIntervalSince1970) s since 1970 is not \(RFC3339.acceptedYears)"
            }
        }
        guard (-Run.maxOffsetSeconds...Run.maxOffsetSeconds).contains(offsetSeconds) else {
            return "offsetSeconds \(offsetSeconds) is outside ±\(Limits.grouped(Run.maxOffsetSeconds))"
        }
        guard Limits.attempts.contains(attempts) else {
            return "attempts \(attempts) is outside \(Limits.text(Limits.attempts))"
        }
        for (value, field) in [(to, "to"), (from, "from")] {
            if let value, !Limits.replicas.contains(value) {
                return "\(field) \(value) is outside \(Limits.text(Limits.replicas)) replicas"
            }
        }
        if case .action(let action) = work, let problem = Self.problem(in: action) { return "work: \(problem)" }
        return nil
    }

    /// What is out of range in a stored action, nil when nothing is.
    private static func problem(in action: Action) -> String? {
        switch action {
        case .scale(_, .to(let count)) where !Limits.replicas.contains(count):
            return "scale to \(count) is outside \(Limits.text(Limits.replicas)) replicas"
        case .scale(_, .by(let delta)) where !Limits.scaleBy.contains(delta):
            return "scale by \(delta) is outside \(Limits.text(Limits.scaleBy))"
        case .scale(_, .factor(let factor)) where !(factor > 0 && factor <= Limits.maxFactor):
            return "scale factor \(factor) is not more than 0 and at most \(Int(Limits.maxFactor))"
        case .autoscaler(_, let min, let max)
            where !(min.map { Limits.replicas.contains($0) } ?? true) || !(max.map { Limits.replicas.contains($0) } ?? true):
            return "autoscaler min \(min.map(String.init) ?? "-") / max \(max.map(String.init) ?? "-") is outside "
                + "\(Limits.text(Limits.replicas))"
        case .http(let call) where !(call.timeout > .zero && call.timeout <= Limits.maxTimeout):
            return "http timeout is not more than 0s and at most \(Limits.maxTimeout.playbookText)"
        case .command(let call) where !(call.timeout > .zero && call.timeout <= Limits.maxTimeout):
            return "command timeout is not more than 0s and at most \(Limits.maxTimeout.playbookText)"
        default:
            return nil
        }
    }
}
