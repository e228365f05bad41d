import Foundation

/// A load check that gates a ladder step (`gates.checks`): a metric that must stay below (or above) a threshold for a
/// while before the step may run. Seed 001's "check current load before scaling down" and "monitor traffic for 1 hour".
///
/// A check that cannot be evaluated (the metric source is down, answers nothing, or answers NaN) never lets a step
/// through: the step waits and says why (``GateDecision``).
public struct LoadCheck: Sendable, Equatable, Codable {
    /// Where the metric comes from.
    public enum Source: Sendable, Equatable, Codable {
        /// A PromQL expression evaluated by the configured Prometheus (`prometheus.url`), or by `url` when given.
        case prometheus(query: String, url: String?)
        /// A CloudWatch metric read with `GetMetricData`.
        case cloudWatch(CloudWatchMetric)
    }

    /// How the value compares with the threshold for the check to hold.
    public enum Comparison: String, Sendable, Equatable, Codable, CaseIterable {
        /// Every sample is below the threshold.
        case below
        /// Every sample is above the threshold.
        case above
    }

    /// Which ladder steps the check gates.
    public enum Scope: String, Sendable, Equatable, Codable, CaseIterable {
        /// Every ladder step (the default).
        case eachStep = "each_step"
        /// Only the ladder's first step ("check current load before scaling down").
        case firstStep = "first_step"
    }

    /// A name for people (`name:`, or the query / metric).
    public var name: String
    /// The metric.
    public var source: Source
    /// Below or above.
    public var comparison: Comparison
    /// The threshold.
    public var threshold: Double
    /// How long the value must have held (`for:`); zero looks at the latest sample only.
    public var window: Duration
    /// How long a waiting step waits before checking again (`recheck:`).
    public var recheck: Duration
    /// After waiting this long (`max_wait:`), the run is put on hold and a person is told.
    public var maxWait: Duration
    /// Which steps it gates.
    public var scope: Scope

    /// Creates a check.
    public init(name: String, source: Source, comparison: Comparison, threshold: Double, window: Duration = .zero,
                recheck: Duration = .seconds(60), maxWait: Duration = .seconds(7_200), scope: Scope = .eachStep) {
        self.name = name
        self.source = source
        self.comparison = comparison
        self.threshold = threshold
        self.window = window
        self.recheck = recheck
        self.maxWait = maxWait
        self.scope = scope
    }

    /// `sum(rate(...)) below 300 for 10m`: the condition for people.
    public var condition: String {
        let value = Self.format(threshold)
        return "\(name) \(comparison.rawValue) \(value)" + (window > .zero ? " for \(window.playbookText)" : "")
    }

    /// Whether a sample value satisfies the comparison.
    public func holds(_ value: Double) -> Bool {
        switch comparison {
        case .below: return value < threshold
        case .above: return value > threshold
        }
    }

    /// The time between two samples asked of the source for a window (at least 15 s, at most 100 samples; never
    /// finer than a CloudWatch metric's period, whose datapoints are that far apart).
    public var resolution: Duration {
        var seconds = max(15, Int(saturating: window.timeInterval / 100))
        if case .cloudWatch(let metric) = source { seconds = max(seconds, metric.periodSeconds) }
        return .seconds(seconds)
    }

    /// The earliest sample a decision at `now` looks at: the window, plus one resolution so the window's first point
    /// is in it. Readers ask from here, ``GateDecision`` keeps only samples from here on.
    public func readingStart(at now: Date) -> Date {
        now.addingTimeInterval(-window.timeInterval - resolution.timeInterval)
    }

    /// A value as people read it: integers without a fraction, others with up to 3 decimals.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.3f", value).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }
}

/// A CloudWatch metric a load check reads (`GetMetricData`, one `MetricStat`).
public struct CloudWatchMetric: Sendable, Equatable, Codable {
    /// `AWS/ApplicationELB`, `AWS/ECS`, a custom namespace.
    public var namespace: String
    /// `RequestCount`, `CPUUtilization`.
    public var metricName: String
    /// Dimension name to value.
    public var dimensions: [String: String]
    /// `Average`, `Sum`, `Maximum`, `p99`.
    public var stat: String
    /// The period of each data point, in seconds (60 or a multiple).
    public var periodSeconds: Int
    /// The region, when not the configured one.
    public var region: String?

    /// Creates a metric reference.
    public init(namespace: String, metricName: String, dimensions: [String: String] = [:], stat: String = "Average",
                periodSeconds: Int = 60, region: String? = nil) {
        self.namespace = namespace
        self.metricName = metricName
        self.dimensions = dimensions
        self.stat = stat
        self.periodSeconds = periodSeconds
        self.region = region
    }
}
