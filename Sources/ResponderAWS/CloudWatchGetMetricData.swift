import Foundation
import ResponderCore

/// The input of CloudWatch `GetMetricData` with one `MetricStat` query (AWS JSON 1.0: timestamps in epoch seconds).
struct GetMetricDataInput: Encodable {
    /// A metric's identity.
    struct Metric: Encodable {
        var Namespace: String
        var MetricName: String
        var Dimensions: [Dimension]
    }
    /// One dimension.
    struct Dimension: Encodable {
        var Name: String
        var Value: String
    }
    /// The statistic asked for.
    struct MetricStat: Encodable {
        var Metric: Metric
        var Period: Int
        var Stat: String
    }
    /// The single query.
    struct Query: Encodable {
        var Id: String
        var MetricStat: MetricStat
        var ReturnData: Bool
    }

    /// The query's id.
    static let queryID = "m0"

    var MetricDataQueries: [Query]
    var StartTime: Double
    var EndTime: Double
    var ScanBy = "TimestampAscending"
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
        var Code: String?
        var Value: String?
    }
    /// One query's result.
    struct Result: Decodable {
        var Id: String?
        var Timestamps: [Double]?
        var Values: [Double]?
        var StatusCode: String?
        var Messages: [Message]?
    }

    var MetricDataResults: [Result]?
    var NextToken: String?
}
