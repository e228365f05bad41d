import Foundation

/// A switch that stops Responder from acting: everywhere or on one target, in one direction or both, until it is
/// lifted or expires. Kept in the store, so every replica sees it and a restart keeps it.
public struct Pause: Sendable, Equatable, Codable, Identifiable {
    /// `pause-<n>`.
    public var id: String
    /// The target it covers; nil for a global pause (every target, and steps without one).
    public var target: String?
    /// The steps it stops: scaling up, down, or both.
    public var direction: PauseDirection
    /// What a covered step does: wait until the pause ends, or be skipped.
    public var mode: PauseMode
    /// Why, for people (`bad deploy of api-gateway`).
    public var reason: String
    /// Who set it.
    public var by: String
    /// When it began.
    public var since: Date
    /// When it lifts itself; nil until someone lifts it.
    public var until: Date?
    /// When it was lifted (by a person, or at `until` by Responder); nil while it lasts.
    public var liftedAt: Date?
    /// Who lifted it (`expiry` when it expired).
    public var liftedBy: String?

    /// Creates a pause in force from `since`.
    public init(id: String, target: String?, direction: PauseDirection, mode: PauseMode = .wait, reason: String, by: String,
                since: Date, until: Date?) {
        self.id = id
        self.target = target
        self.direction = direction
        self.mode = mode
        self.reason = reason
        self.by = by
        self.since = since
        self.until = until
    }

    /// The pause `request` asks for, numbered `id`.
    public init(id: String, request: PauseRequest) {
        self.init(id: id, target: request.target, direction: request.direction, mode: request.mode, reason: request.reason,
                  by: request.by, since: request.since, until: request.until)
    }

    /// Whether it is in force at `now`: not lifted, and not past its expiry.
    public func isActive(at now: Date) -> Bool {
        liftedAt == nil && (until.map { now < $0 } ?? true)
    }

    /// The scope label of `/metrics` and the status page: `global` or `target:<name>`.
    public var scope: String { target.map { "target:\($0)" } ?? "global" }

    /// Whether it stops `step` of `run` (in force or not): a covered direction, and the step's target (for a step
    /// without one, any of the run's targets) is the paused one, or the pause is global.
    public func covers(_ step: RunStep, of run: Run) -> Bool {
        guard direction.covers(step.direction(kind: run.kind)) else { return false }
        guard let target else { return true }
        if let stepTarget = step.target { return stepTarget == target }
        return run.targets.contains(target)
    }

    /// `pause-3 (all targets, scale-down, until 2026-12-07T09:00:00Z: bad deploy, by alice)`.
    public var text: String {
        let scopeText = target.map { "target \($0)" } ?? "all targets"
        let untilText = until.map { ", until \(RFC3339.format($0))" } ?? ""
        let skipText = mode == .skip ? ", skipping" : ""
        return "\(id) (\(scopeText), \(direction.text)\(untilText)\(skipText): \(reason), by \(by))"
    }
}

/// The directions a pause stops.
public enum PauseDirection: String, Sendable, Equatable, Codable, CaseIterable {
    /// Scaling up (emergency actions, pre-event capacity).
    case up
    /// Scaling down (ladders, restores, undo).
    case down
    /// Every step.
    case both

    /// Whether a step going `direction` is stopped.
    public func covers(_ direction: ScaleDirection) -> Bool {
        self == .both || rawValue == direction.rawValue
    }

    /// `scale-up`, `scale-down`, `both directions`.
    public var text: String {
        switch self {
        case .up: return "scale-up"
        case .down: return "scale-down"
        case .both: return "both directions"
        }
    }
}

/// What a step a pause covers does.
public enum PauseMode: String, Sendable, Equatable, Codable, CaseIterable {
    /// It waits until the pause ends, then runs; the steps after it keep their spacing.
    case wait
    /// It is skipped (a restore or undo step waits instead: skipping it would leave the run's temporary values).
    case skip
}
