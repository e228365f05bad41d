import Foundation

/// What a step's load checks said.
public enum GateVerdict: Sendable, Equatable {
    /// Every check held; the text gives the values seen.
    case holds(String)
    /// A check did not hold, or could not be evaluated: the step waits.
    case waits(GateWait)
}

/// Why a step waits for its load checks, for the run's history, chat and the report.
public struct GateWait: Sendable, Equatable, Codable {
    /// The check that stopped the step (``LoadCheck/condition``).
    public var check: String
    /// Why, with the value seen: `412 is not below 300`, `Prometheus unreachable: connection refused`.
    public var reason: String
    /// The value that failed the check; nil when it could not be evaluated.
    public var value: Double?
    /// When to check again.
    public var recheck: Duration
    /// How long the step may wait before the run is held.
    public var maxWait: Duration

    /// Creates a wait.
    public init(check: String, reason: String, value: Double?, recheck: Duration, maxWait: Duration) {
        self.check = check
        self.reason = reason
        self.value = value
        self.recheck = recheck
        self.maxWait = maxWait
    }
}

/// The pure decision of a load check on what its source answered. `serve`, dry-run and `simulate` all decide here.
///
/// A check holds when the source answered samples covering its whole window (the oldest no later than
/// `now - for + resolution`; with no `for`, a sample within the last resolution), every one a finite number that satisfies the comparison. Anything else waits: a value on
/// the wrong side, no samples, a window not yet covered (the metric is newer than `for`), NaN, or an unreachable
/// source. Nothing that cannot be evaluated lets a step down through.
public enum GateDecision {
    /// Decides one check from its reading at `now`.
    public static func decide(_ check: LoadCheck, reading: MetricReading, now: Date) -> GateVerdict {
        func wait(_ reason: String, _ value: Double? = nil) -> GateVerdict {
            .waits(GateWait(check: check.condition, reason: reason, value: value, recheck: check.recheck, maxWait: check.maxWait))
        }
        let samples: [MetricSample]
        switch reading {
        case .unavailable(let why):
            return wait("cannot be evaluated: \(why)")
        case .samples(let all):
            let start = check.readingStart(at: now)
            samples = all.filter { $0.at >= start && $0.at <= now }.sorted { $0.at < $1.at }
        }
        guard let oldest = samples.first, let latest = samples.last else {
            return wait("cannot be evaluated: the query returned no samples" + (check.window > .zero ? " in the last \(check.window.playbookText)" : ""))
        }
        if let bad = samples.first(where: { !$0.value.isFinite }) {
            return wait("cannot be evaluated: the value at \(RFC3339.format(bad.at)) is \(bad.value)")
        }
        if check.window > .zero {
            let covered = now.timeIntervalSince(oldest.at)
            if covered + check.resolution.timeInterval < check.window.timeInterval {
                return wait("the metric has samples for only \(Duration.seconds(Int(saturating: covered)).playbookText) of \(check.window.playbookText)")
            }
        }
        let considered = check.window > .zero ? samples : [latest]
        if let failing = considered.filter({ !check.holds($0.value) }).max(by: { worse($0.value, $1.value, check) }) {
            let value = LoadCheck.format(failing.value)
            let threshold = LoadCheck.format(check.threshold)
            let when = check.window > .zero ? " (within the last \(check.window.playbookText))" : ""
            return wait("\(value) is not \(check.comparison.rawValue) \(threshold)\(when)", failing.value)
        }
        let shown = check.window > .zero
            ? "\(check.comparison == .below ? "max" : "min") \(LoadCheck.format(extreme(considered, check)))"
            : LoadCheck.format(latest.value)
        return .holds("\(check.condition): \(shown)")
    }

    /// Decides every check of a step in order; the first that waits decides, otherwise all hold.
    public static func decide(_ checks: [(LoadCheck, MetricReading)], now: Date) -> GateVerdict {
        var held: [String] = []
        for (check, reading) in checks {
            switch decide(check, reading: reading, now: now) {
            case .waits(let wait): return .waits(wait)
            case .holds(let text): held.append(text)
            }
        }
        return .holds(held.joined(separator: "; "))
    }

    /// Orders failing values so the max is the one farthest on the wrong side.
    private static func worse(_ lhs: Double, _ rhs: Double, _ check: LoadCheck) -> Bool {
        check.comparison == .below ? lhs < rhs : lhs > rhs
    }

    private static func extreme(_ samples: [MetricSample], _ check: LoadCheck) -> Double {
        let values = samples.map(\.value)
        return (check.comparison == .below ? values.max() : values.min()) ?? .nan
    }
}
