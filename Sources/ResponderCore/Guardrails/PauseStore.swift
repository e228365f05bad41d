import Foundation

/// Where pauses live (the SQLite journal, or PostgreSQL shared by replicas): a pause set on one replica is seen by
/// every run transaction that starts after it committed (``RunTransactionView/pauses``).
public protocol PauseStore: Sendable {
    /// Stores a new pause in force from `request.since`, as `pause-<n>` (numbers never reused), and returns it.
    func addPause(_ request: PauseRequest) async throws(JournalError) -> Pause

    /// Lifts the pauses in force at `now` that `selection` picks, by `by`, in one transaction; returns those it
    /// lifted (none when nothing matched).
    func liftPauses(_ selection: PauseSelection, by: String, now: Date) async throws(JournalError) -> [Pause]

    /// Every pause not lifted (in force, or past its expiry and not yet marked), then those lifted at or after
    /// `liftedSince`, most recent first, at most `limit` of the latter.
    func pauses(liftedSince: Date, limit: Int) async throws(JournalError) -> [Pause]

    /// Marks the pauses whose expiry is at or before `now` lifted by `expiry` at their expiry time, and returns those
    /// this call marked: across replicas each expired pause is returned once, so it is announced once.
    func expirePauses(now: Date) async throws(JournalError) -> [Pause]
}

/// A pause to set (`POST /api/pause`, `responder pause set`).
public struct PauseRequest: Sendable, Equatable, Codable {
    /// The target it covers; nil for every target.
    public var target: String?
    /// Directions it stops.
    public var direction: PauseDirection
    /// Wait or skip.
    public var mode: PauseMode
    /// Why.
    public var reason: String
    /// Who.
    public var by: String
    /// When it begins (now).
    public var since: Date
    /// When it lifts itself, if ever.
    public var until: Date?

    /// Creates a request.
    public init(target: String?, direction: PauseDirection, mode: PauseMode, reason: String, by: String, since: Date, until: Date?) {
        self.target = target
        self.direction = direction
        self.mode = mode
        self.reason = reason
        self.by = by
        self.since = since
        self.until = until
    }
}

/// Which pauses in force to lift.
public enum PauseSelection: Sendable, Equatable {
    /// The pause with this id.
    case id(String)
    /// Pauses of one scope: a target (nil: the global ones), in one direction (nil: any).
    case scope(target: String?, direction: PauseDirection?)

    /// Whether `pause` is picked.
    public func picks(_ pause: Pause) -> Bool {
        switch self {
        case .id(let id): return pause.id == id
        case .scope(let target, let direction): return pause.target == target && (direction.map { $0 == pause.direction } ?? true)
        }
    }
}
