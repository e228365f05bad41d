import Foundation
import ResponderCore

/// Sends each load check to the reader of its source: Prometheus or CloudWatch. A source that is not configured
/// reads as unavailable with the setting to add, so the step waits and says why.
public struct MetricRouter: MetricReader {
    private let prometheus: (any MetricReader)?
    private let cloudWatch: (any MetricReader)?
    private let prometheusProblem: String
    private let cloudWatchProblem: String

    /// Creates a router; a nil reader answers its `…Problem` text.
    public init(prometheus: (any MetricReader)?, cloudWatch: (any MetricReader)?,
                prometheusProblem: String = "prometheus.url is not configured",
                cloudWatchProblem: String = "CloudWatch is not configured (set aws.region or AWS_REGION, and AWS credentials)") {
        self.prometheus = prometheus
        self.cloudWatch = cloudWatch
        self.prometheusProblem = prometheusProblem
        self.cloudWatchProblem = cloudWatchProblem
    }

    /// Reads `check` through the reader of its source.
    public func read(_ check: LoadCheck, from start: Date, to end: Date) async -> MetricReading {
        switch check.source {
        case .prometheus:
            guard let prometheus else { return .unavailable(prometheusProblem) }
            return await prometheus.read(check, from: start, to: end)
        case .cloudWatch:
            guard let cloudWatch else { return .unavailable(cloudWatchProblem) }
            return await cloudWatch.read(check, from: start, to: end)
        }
    }
}
