import Foundation
import ResponderCore

/// The input of CloudWatch `GetMetricData` with one `MetricStat` query (AWS JSON 1.0: timestamps in epoch seconds).
struct GetMetricDataInput: Encodable {
    /// A metric's identity.
    struct Metric: Encodable {
        /// `AWS/ECS`, a custom namespace.
        var Namespace: String
        /// The metric's name.
        var MetricName: String
        /// Its dimensions, sorted by name.
        var Dimensions: [Dimension]
    }
    /// One dimension.
    struct Dimension: Encodable {
        /// The dimension's name.
        var Name: String
        /// Its value.
        var Value: String
    }
    /// The statistic asked for.
    struct MetricStat: Encodable {
        /// The metric.
        var Metric: Metric
        /// Seconds per datapoint.
        var Period: Int
        /// `Average`, `Sum`, `p99`…
        var Stat: String
    }
    /// The single query.
    struct Query: Encodable {
        /// The query's id in the answer.
        var Id: String
        /// What to read.
        var MetricStat: MetricStat
        /// Always true: the datapoints are wanted.
        var ReturnData: Bool
    }

    /// The query's id.
    static let queryID = "m0"

    /// The single query.
    var MetricDataQueries: [Query]
    /// Epoch seconds, inclusive.
    var StartTime: Double
    /// Epoch seconds, exclusive.
    var EndTime: Double
    /// Oldest first.
    var ScanBy = "TimestampAscending"
    /// The token of the next page, when following one.
    var NextToken: String?

    /// The input reading `metric` from `start` to `end` (whole seconds).
    init(metric: CloudWatchMetric, start: Date, end: Date) {
        let dimensions = metric.dimensions.sorted { $0.key < $1.key }.map { Dimension(Name: $0.key, Value: $0.value) }
        MetricDataQueries = [Query(
            Id: Self.queryID,
            MetricStat: MetricStat(
                Metric: Metric(Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: dimensions),
                Period: max(1, metric.periodSeconds), Stat: metric.stat),
            ReturnData: true)]
        StartTime = start.timeIntervalSince1970.rounded(.down)
        EndTime = end.timeIntervalSince1970.rounded(.up)
    }
}

/// The parts of the `GetMetricData` answer that are read.
struct GetMetricDataOutput: Decodable {
    /// A message attached to a result.
    struct Message: Decodable {
        /// The message's code.
        var Code: String?
        /// Its text.
        var Value: String?
    }
    /// One query's result.
    struct Result: Decodable {
        /// The query's id.
        var Id: String?
        /// Epoch seconds, one per value.
        var Timestamps: [Double]?
        /// The values.
        var Values: [Double]?
        /// `Complete`, `PartialData`, `InternalError`, `Forbidden`.
        var StatusCode: String?
        /// Why it is not complete.
        var Messages: [Message]?
    }

    /// One result per query.
    var MetricDataResults: [Result]?
    /// Set when there is another page.
    var NextToken: String?
}
