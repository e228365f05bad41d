import Foundation

/// What an alert would start: which playbooks match and why, and each matched playbook's timeline with absolute
/// values. Produced by ``Planner``; printed by `responder plan`, stored with each alert, shown in chat.
public struct Plan: Sendable, Equatable, Codable {
    /// The alert planned for.
    public var alert: AlertSummary
    /// The `now` the plan was computed at.
    public var generatedAt: Date
    /// Every playbook, matched or not, with the reasons.
    public var evaluations: [PlaybookEvaluation]
    /// One timeline per matched playbook, in playbook order.
    public var timelines: [Timeline]

    /// Creates a plan.
    public init(alert: AlertSummary, generatedAt: Date, evaluations: [PlaybookEvaluation], timelines: [Timeline]) {
        self.alert = alert
        self.generatedAt = generatedAt
        self.evaluations = evaluations
        self.timelines = timelines
    }

    enum CodingKeys: String, CodingKey {
        case alert, evaluations, timelines
        case generatedAt = "generated_at"
    }

    /// The identifying part of the alert.
    public struct AlertSummary: Sendable, Equatable, Codable {
        /// `alertmanager` or `cloudwatch`.
        public var source: AlertSource
        /// Alert identity.
        public var fingerprint: String
        /// `firing`, `resolved` or `insufficient_data`.
        public var status: AlertStatus
        /// The `alertname` label, if any.
        public var name: String?
        /// All labels.
        public var labels: [String: String]

        /// Creates a summary.
        public init(source: AlertSource, fingerprint: String, status: AlertStatus, name: String?, labels: [String: String]) {
            self.source = source
            self.fingerprint = fingerprint
            self.status = status
            self.name = name
            self.labels = labels
        }
    }

    /// Whether one playbook matched, and why.
    public struct PlaybookEvaluation: Sendable, Equatable, Codable {
        /// Playbook name.
        public var playbook: String
        /// Playbook kind.
        public var kind: Playbook.Kind
        /// True when every matcher held and the source is allowed.
        public var matched: Bool
        /// For a match, each matcher with the value it saw; otherwise the first reason it failed.
        public var reasons: [String]

        /// Creates an evaluation.
        public init(playbook: String, kind: Playbook.Kind, matched: Bool, reasons: [String]) {
            self.playbook = playbook
            self.kind = kind
            self.matched = matched
            self.reasons = reasons
        }
    }

    /// The steps one matched playbook would take.
    public struct Timeline: Sendable, Equatable, Codable {
        /// Playbook name.
        public var playbook: String
        /// Playbook kind.
        public var kind: Playbook.Kind
        /// Whether the playbook is in dry-run.
        public var dryRun: Bool
        /// Steps in due order.
        public var steps: [Step]
        /// Things worth knowing about the whole timeline (e.g. why it is empty).
        public var notes: [String]

        /// Creates a timeline.
        public init(playbook: String, kind: Playbook.Kind, dryRun: Bool, steps: [Step], notes: [String]) {
            self.playbook = playbook
            self.kind = kind
            self.dryRun = dryRun
            self.steps = steps
            self.notes = notes
        }

        enum CodingKeys: String, CodingKey {
            case playbook, kind, steps, notes
            case dryRun = "dry_run"
        }
    }

    /// What a step's due time counts from.
    public enum Anchor: String, Sendable, Equatable, Codable, CaseIterable {
        /// The moment the plan starts (the firing being handled now).
        case now
        /// When the alert resolves (unknown while it fires).
        case resolve
        /// The scheduled event's start.
        case eventStart = "event_start"
        /// The scheduled event's end.
        case eventEnd = "event_end"
        /// When the run ends, for any reason (undo steps).
        case runEnd = "run_end"
    }

    /// One step with absolute values.
    public struct Step: Sendable, Equatable, Codable {
        /// 0-based position in the timeline.
        public var index: Int
        /// `actions` (run when the playbook starts) or `ladder` (step-down).
        public var phase: Phase
        /// What `offsetSeconds` counts from.
        public var anchor: Anchor
        /// Seconds after (or, negative, before) the anchor.
        public var offsetSeconds: Int
        /// Absolute due time when the anchor's time is known.
        public var due: Date?
        /// `scale`, `autoscaler`, `env`, `annotate`, `http`, `command`, `notify` or `restore`.
        public var action: String
        /// Target touched, if any.
        public var target: String?
        /// Replicas before the step (scale steps).
        public var from: Int?
        /// Replicas after the step, absolute (scale steps).
        public var to: Int?
        /// Human-readable description: `replicas 4 -> 10`, `HPA min 10 max 25`, `POST https://...`.
        public var detail: String
        /// Why the value differs from what was asked (clamps, max_step, autoscaler) and other caveats.
        public var notes: [String]
        /// Load checks that must hold before it runs.
        public var checks: [LoadCheck] = []
        /// For an undo step: the index of the step it undoes (nil: a cleanup that always runs).
        public var undoes: Int?

        /// Creates a step.
        public init(index: Int, phase: Phase, anchor: Anchor, offsetSeconds: Int, due: Date?, action: String,
                    target: String?, from: Int?, to: Int?, detail: String, notes: [String]) {
            self.index = index
            self.phase = phase
            self.anchor = anchor
            self.offsetSeconds = offsetSeconds
            self.due = due
            self.action = action
            self.target = target
            self.from = from
            self.to = to
            self.detail = detail
            self.notes = notes
        }

        /// Which part of the playbook a step comes from.
        public enum Phase: String, Sendable, Equatable, Codable {
            /// The playbook's actions.
            case actions
            /// The step-down ladder.
            case ladder
            /// Undo steps: run once when the run ends, for any reason.
            case undo
        }

        enum CodingKeys: String, CodingKey {
            case index, phase, anchor, due, action, target, from, to, detail, notes, checks, undoes
            case offsetSeconds = "offset_seconds"
        }

        /// Decodes a step (`checks` are written as conditions for people and are not read back).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            index = try container.decode(Int.self, forKey: .index)
            phase = try container.decode(Phase.self, forKey: .phase)
            anchor = try container.decode(Anchor.self, forKey: .anchor)
            offsetSeconds = try container.decode(Int.self, forKey: .offsetSeconds)
            due = try container.decodeIfPresent(Date.self, forKey: .due)
            action = try container.decode(String.self, forKey: .action)
            target = try container.decodeIfPresent(String.self, forKey: .target)
            from = try container.decodeIfPresent(Int.self, forKey: .from)
            to = try container.decodeIfPresent(Int.self, forKey: .to)
            detail = try container.decode(String.self, forKey: .detail)
            notes = try container.decode([String].self, forKey: .notes)
            undoes = try container.decodeIfPresent(Int.self, forKey: .undoes)
        }

        /// Encodes every key, writing absent values as `null` so the JSON shape is the same for every step.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(phase, forKey: .phase)
            try container.encode(anchor, forKey: .anchor)
            try container.encode(offsetSeconds, forKey: .offsetSeconds)
            try container.encode(due, forKey: .due)
            try container.encode(action, forKey: .action)
            try container.encode(target, forKey: .target)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(detail, forKey: .detail)
            try container.encode(notes, forKey: .notes)
            // Only on the steps that have them, so plans of playbooks without checks or undo keep their shape.
            if !checks.isEmpty { try container.encode(checks.map(\.condition), forKey: .checks) }
            if phase == .undo { try container.encode(undoes, forKey: .undoes) }
        }
    }

    /// The plans of matched playbooks only.
    public var matchedPlaybooks: [String] { evaluations.filter(\.matched).map(\.playbook) }
}
