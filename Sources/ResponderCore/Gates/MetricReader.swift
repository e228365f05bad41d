import Foundation

/// One value of a metric at a time.
public struct MetricSample: Sendable, Equatable, Codable {
    /// When.
    public var at: Date
    /// The value (NaN and infinities make a check unevaluable).
    public var value: Double

    /// Creates a sample.
    public init(at: Date, value: Double) {
        self.at = at
        self.value = value
    }
}

/// What a metric source answered for a check.
public enum MetricReading: Sendable, Equatable {
    /// The samples in the window asked for, oldest first (possibly none).
    case samples([MetricSample])
    /// The source could not answer; the text says why (connection refused, HTTP 503, a PromQL error, no credentials).
    case unavailable(String)
}

/// Reads the metric of a load check: Prometheus and CloudWatch in `serve`, a scenario's `metrics:` series in
/// `simulate`. What the samples mean is decided by ``GateDecision`` for all of them.
public protocol MetricReader: Sendable {
    /// The samples of `check`'s metric from `start` to `end` (at ``LoadCheck/resolution`` apart where the source
    /// allows), or why they could not be read. Never throws: every failure is a reading the gate reports.
    func read(_ check: LoadCheck, from start: Date, to end: Date) async -> MetricReading
}
