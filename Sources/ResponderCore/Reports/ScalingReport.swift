import Foundation

/// What a run changed, for people, once it ends (or so far, while it is open): who changed what on which target and
/// when, the peak and final counts, the time at each level, the load checks that held a step, and the undo outcomes.
///
/// A pure function of a ``Run`` (and, for an open run, the time of the report): no I/O, no clock. Served at
/// `GET /api/runs/{id}/report`, posted in the run's Slack thread when it ends, printed by `responder simulate`.
public struct ScalingReport: Sendable, Equatable, Codable {
    /// Run id.
    public var runID: String
    /// Playbook carried out.
    public var playbook: String
    /// Its kind (`emergency-scale`, `scale-down`, …).
    public var kind: String
    /// `alertname` of the alert that started it.
    public var alert: String?
    /// The run's stored status (`active`, `held`, `completed`, …).
    public var status: String
    /// While undo steps run: the status the run takes when they finish.
    public var closing: String?
    /// The state for people: `completed`, `held`, `ending (undo running)`.
    public var state: String
    /// True once the run ended (nothing more will happen).
    public var ended: Bool
    /// When it started.
    public var startedAt: Date
    /// When it ended.
    public var endedAt: Date?
    /// The instant the report describes: the end, or the time of the report while the run is open.
    public var asOf: Date
    /// Seconds from the start to ``asOf`` (never negative, saturating).
    public var durationSeconds: Int
    /// Whether the playbook is dry-run (nothing was really changed).
    public var dryRun: Bool
    /// Who acknowledged the run, if anyone.
    public var acknowledgedBy: String?
    /// Acknowledgements, holds, resumes and aborts by people, oldest first.
    public var people: [PersonAction]
    /// Every step carried out that changed something, in the order it finished.
    public var changes: [Change]
    /// Replica counts of every target scaled, sorted by target.
    public var targets: [TargetLevels]
    /// Steps whose load checks kept them waiting.
    public var checks: [CheckWait]
    /// The undo steps and what became of them.
    public var undo: [UndoOutcome]
    /// Steps (other than undo steps) that failed, were skipped or were cancelled.
    public var problems: [StepProblem]

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", playbook, kind, alert, status, closing, state, ended
        case startedAt = "started_at", endedAt = "ended_at", asOf = "as_of", durationSeconds = "duration_seconds"
        case dryRun = "dry_run", acknowledgedBy = "acknowledged_by", people, changes, targets, checks, undo, problems
    }

    /// The report's JSON: sorted snake_case keys, RFC 3339 UTC dates with milliseconds (as the runs API writes them).
    public func jsonData(pretty: Bool = false) throws -> Data {
        try Self.encoder(pretty: pretty).encode(self)
    }

    /// The encoder the report's JSON is written with.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        RFC3339JSON.encoder(pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The decoder that reads ``jsonData(pretty:)`` back.
    public static func decoder() -> JSONDecoder {
        RFC3339JSON.decoder()
    }
}
