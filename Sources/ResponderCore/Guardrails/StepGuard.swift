import Foundation

/// Decides whether a due step may be handed out under the pauses and limits in force: pure, shared by `serve`,
/// dry-run and `simulate`, so they cannot disagree.
public enum StepGuard {
    /// What stops `step` of `run` at `now`, if anything; pauses first (they stop everything they cover), then limits.
    /// `limits` are the configuration's (``EngineSettings/limits``); the run's playbook's apply too.
    public static func decide(_ step: RunStep, of run: Run, guardrails: Guardrails, limits: ActionLimits?, now: Date) -> GuardVerdict {
        let covering = guardrails.pauses.filter { $0.isActive(at: now) && $0.covers(step, of: run) }
        // A pause that makes steps wait wins over one that skips them: the step can still run once it lifts.
        if let pause = covering.first(where: { $0.mode == .wait }) ?? covering.first {
            return .paused(pause)
        }
        let hits = limitHits(step, of: run, guardrails: guardrails, limits: limits, now: now)
        if let hold = hits.first(where: { $0.freesAt == nil || $0.onLimit == .hold }) { return .overLimit(hold) }
        if let wait = hits.max(by: { ($0.freesAt ?? .distantFuture) < ($1.freesAt ?? .distantFuture) }) {
            return .overLimit(wait)
        }
        return .go
    }

    /// Whether a step is counted against limits and may be stopped by them: not an action recorded only
    /// (`dry_run: true`). Restores and undo steps are counted but never stopped by a limit (they put things back).
    public static func counts(_ step: RunStep) -> Bool { !step.work.isDryRunOnly }

    /// The limits `step` would break if it ran now (empty when it may run).
    static func limitHits(_ step: RunStep, of run: Run, guardrails: Guardrails, limits: ActionLimits?, now: Date) -> [LimitHit] {
        guard counts(step), step.work != .restore, step.phase != .undo, step.limitWaived != true else { return [] }
        var hits: [LimitHit] = []
        let sets: [(ActionLimits?, String, String?)] = [
            (limits, "the configuration's", nil), (run.policy.limits, "playbook \(run.playbook)'s", run.playbook),
        ]
        for case let (limits?, owner, playbook) in sets {
            let others = guardrails.actions.filter { action in
                action.dryRun == run.dryRun && !(action.runID == run.id && action.step == step.index)
                    && (playbook == nil || action.playbook == playbook)
            }
            if let cap = limits.targetsPerRun, let target = step.target {
                let touched = Set(run.steps.filter { $0.attempts > 0 && $0.index != step.index && counts($0) }.compactMap(\.target))
                if !touched.contains(target), touched.count >= cap {
                    hits.append(LimitHit(name: "targets_per_run", owner: owner, text: "at most \(cap) target(s) per run; this run already touched "
                        + touched.sorted().joined(separator: ", "), freesAt: nil, onLimit: .hold))
                }
            }
            if let rate = limits.perTarget, let target = step.target,
               let frees = freesAt(rate, times: others.filter { $0.target == target }.map(\.at), now: now) {
                hits.append(LimitHit(name: "per_target", owner: owner, text: "\(rate.text) on \(target)", freesAt: frees, onLimit: limits.onLimit))
            }
            if let rate = limits.total, let frees = freesAt(rate, times: others.map(\.at), now: now) {
                hits.append(LimitHit(name: "total", owner: owner, text: "\(rate.text) in total", freesAt: frees, onLimit: limits.onLimit))
            }
        }
        return hits
    }

    /// When the window next has room for one more action, nil when it has room now: with `k` actions in the window
    /// and room for `n`, the (k - n + 1)-th oldest leaves it.
    public static func freesAt(_ rate: ActionLimits.Rate, times: [Date], now: Date) -> Date? {
        let window = rate.window.timeInterval
        // Clamped: a stored run's limits are outside input, and a count below 1 would index past the end.
        let room = min(max(1, rate.actions), ActionLimits.actions.upperBound)
        let inWindow = times.filter { $0 > now.addingTimeInterval(-window) && $0 <= now }.sorted()
        guard inWindow.count >= room else { return nil }
        return inWindow[inWindow.count - room].addingTimeInterval(window)
    }
}

/// What ``StepGuard`` says about a due step.
public enum GuardVerdict: Sendable, Equatable {
    /// Nothing stops it.
    case go
    /// A pause covers it.
    case paused(Pause)
    /// It would break a limit.
    case overLimit(LimitHit)
}

/// A limit a step would break.
public struct LimitHit: Sendable, Equatable {
    /// `per_target`, `total` or `targets_per_run`.
    public var name: String
    /// Whose limit: `the configuration's` or `playbook api-surge's`.
    public var owner: String
    /// What it allows: `6 actions per 1h on api`.
    public var text: String
    /// When the window has room again; nil when it never will for this run (targets per run).
    public var freesAt: Date?
    /// What the step does.
    public var onLimit: ActionLimits.OverLimit

    /// Creates a hit.
    public init(name: String, owner: String, text: String, freesAt: Date?, onLimit: ActionLimits.OverLimit) {
        self.name = name
        self.owner = owner
        self.text = text
        self.freesAt = freesAt
        self.onLimit = onLimit
    }

    /// `limit per_target of the configuration's limits (6 actions per 1h on api)`.
    public var description: String { "\(owner) limit \(name) (\(text))" }

    /// The key a run is told about once: the limit and its scope.
    public var key: String { "\(Self.keyPrefix)\(owner):\(name):\(text)" }

    /// What every limit's key begins with (a pause's key is its id, `pause-<n>`).
    public static let keyPrefix = "limit:"
}
