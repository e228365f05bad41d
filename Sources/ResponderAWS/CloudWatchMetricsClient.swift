import Foundation
import ResponderCore

/// Reads `.cloudWatch` load checks with CloudWatch `GetMetricData` (one `MetricStat` query, AWS JSON 1.0 protocol,
/// which both AWS and moto accept), signed with the factory's credentials. The region is the check's, else the
/// factory's default. Every failure is an ``MetricReading/unavailable(_:)`` with the AWS error code and message.
public struct CloudWatchMetricsClient: MetricReader {
    private let factory: AWSBackendFactory

    /// Creates a reader sharing `factory`'s HTTP client, credentials, default region and endpoint.
    public init(factory: AWSBackendFactory) {
        self.factory = factory
    }

    /// The samples of `check`'s metric from `start` to `end`, oldest first.
    public func read(_ check: LoadCheck, from start: Date, to end: Date) async -> MetricReading {
        guard case .cloudWatch(let metric) = check.source else { return .unavailable("not a CloudWatch check") }
        guard let region = metric.region ?? factory.defaultRegion else {
            return .unavailable("CloudWatch metric \(metric.namespace)/\(metric.metricName) has no region: set region in the check, or aws.region")
        }
        let client = factory.client(.cloudWatch, region: region)
        let period = Double(max(1, metric.periodSeconds))
        // A period's datapoint is stamped with its start: begin one period early so the window's start is covered.
        var input = GetMetricDataInput(metric: metric, start: start.addingTimeInterval(-period), end: end)
        var samples: [MetricSample] = []
        for _ in 0..<Self.maxPages {
            let output: GetMetricDataOutput
            do {
                output = try await client.call("GetMetricData", input, resource: "CloudWatch metric \(metric.namespace)/\(metric.metricName) in \(region)")
            } catch {
                return .unavailable("CloudWatch GetMetricData in \(region) failed: \(error)")
            }
            guard let result = output.MetricDataResults?.first(where: { $0.Id == GetMetricDataInput.queryID }) else {
                return .samples(samples.sorted { $0.at < $1.at })
            }
            if let status = result.StatusCode, status != "Complete", status != "PartialData" {
                let message = result.Messages?.compactMap(\.Value).first.map { ": \(Self.clip($0))" } ?? ""
                return .unavailable("CloudWatch answered \(Self.clip(status)) for \(metric.namespace)/\(metric.metricName)\(message)")
            }
            let timestamps = result.Timestamps ?? []
            let values = result.Values ?? []
            guard timestamps.count == values.count else {
                return .unavailable("CloudWatch answered \(timestamps.count) timestamps for \(values.count) values")
            }
            for (at, value) in zip(timestamps, values) {
                guard at.isFinite, Self.plausibleSeconds.contains(at) else {
                    return .unavailable("CloudWatch answered an implausible timestamp \(at)")
                }
                samples.append(MetricSample(at: Date(timeIntervalSince1970: at), value: value))
            }
            guard let next = output.NextToken, !next.isEmpty else { break }
            input.NextToken = next
        }
        return .samples(samples.sorted { $0.at < $1.at })
    }

    /// Pages of an answer followed at most (a load check's window needs one).
    static let maxPages = 10
    /// Timestamps outside this range (seconds since 1970) are refused rather than turned into dates.
    static let plausibleSeconds: ClosedRange<Double> = 0...32_503_680_000

    private static func clip(_ text: String) -> String {
        text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
