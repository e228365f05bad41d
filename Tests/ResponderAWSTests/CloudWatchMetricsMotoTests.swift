import AsyncHTTPClient
import Foundation
import ResponderAWS
import ResponderCore
import Testing

/// CloudWatch `GetMetricData` through ``CloudWatchMetricsClient`` against a real moto server: datapoints written
/// with `PutMetricData` (signed by Responder's own client) are read back and decided by the gate.
@Suite("CloudWatch metrics against moto server", .moto)
struct CloudWatchMetricsMotoTests {
    static let region = "eu-west-1"

    /// Input of PutMetricData.
    struct PutMetricData: Encodable {
        struct Dimension: Encodable { var Name: String; var Value: String }
        struct Datum: Encodable { var MetricName: String; var Dimensions: [Dimension]; var Timestamp: Double; var Value: Double }
        var Namespace: String
        var MetricData: [Datum]
    }

    static func factory() throws -> AWSBackendFactory {
        let moto = try MotoServer.required()
        return AWSBackendFactory(
            httpClient: HTTPClient.shared,
            credentials: StaticCredentials(AWSCredentials(accessKeyId: "AKIDMOTO", secretAccessKey: "moto-secret-key")),
            defaultRegion: region, endpoint: AWSEndpoint(url: moto.endpoint), timeout: .seconds(60))
    }

    /// Writes `values` one minute apart, the last `1` minute before `now`, under a namespace unique to the test.
    static func put(_ values: [Double], now: Date, factory: AWSBackendFactory) async throws -> CloudWatchMetric {
        let suffix = UUID().uuidString.prefix(8)
        let namespace = "Responder/Test-\(suffix)"
        // Unique metric names too: moto 5 drops the namespace filter when a query has dimensions.
        let name = "RequestCount-\(suffix)"
        let start = now.timeIntervalSince1970.rounded(.down) - Double(values.count) * 60
        let data = values.enumerated().map { index, value in
            PutMetricData.Datum(MetricName: name, Dimensions: [.init(Name: "Service", Value: "api-gateway")],
                                Timestamp: start + Double(index) * 60, Value: value)
        }
        _ = try await factory.client(.cloudWatch, region: region)
            .call("PutMetricData", PutMetricData(Namespace: namespace, MetricData: data), resource: "metric", as: AWSNoOutput.self)
        return CloudWatchMetric(namespace: namespace, metricName: name, dimensions: ["Service": "api-gateway"],
                                stat: "Sum", periodSeconds: 60)
    }

    @Test("datapoints put are read back oldest first, and a check over them holds or waits")
    func readBack() async throws {
        let factory = try Self.factory()
        let now = Date()
        let low = try await Self.put([120, 150, 90, 110, 100], now: now, factory: factory)
        let reader = CloudWatchMetricsClient(factory: factory)
        let check = LoadCheck(name: "requests", source: .cloudWatch(low), comparison: .below, threshold: 300, window: .seconds(240))
        let start = now.addingTimeInterval(-check.window.timeInterval - check.resolution.timeInterval)
        let reading = await reader.read(check, from: start, to: now)
        guard case .samples(let samples) = reading else { Issue.record("expected samples, got \(reading)"); return }
        #expect(samples.map(\.value).suffix(4) == [150, 90, 110, 100])
        #expect(samples.map(\.at) == samples.map(\.at).sorted())
        #expect(GateDecision.decide(check, reading: reading, now: now) == .holds("requests below 300 for 4m: max 150"))

        let high = try await Self.put([120, 150, 90, 412, 100], now: now, factory: factory)
        var spiky = check
        spiky.source = .cloudWatch(high)
        let spikyReading = await reader.read(spiky, from: start, to: now)
        guard case .waits(let wait) = GateDecision.decide(spiky, reading: spikyReading, now: now) else {
            Issue.record("a 412 within the window must wait: \(spikyReading)"); return
        }
        #expect(wait.reason == "412 is not below 300 (within the last 4m)")
    }

    @Test("a refused query is unavailable with the AWS error code and message; no region is unavailable too")
    func refused() async throws {
        let factory = try Self.factory()
        let now = Date()
        var metric = CloudWatchMetric(namespace: "Responder/None", metricName: "RequestCount", periodSeconds: 60)
        let reader = CloudWatchMetricsClient(factory: factory)
        let check = LoadCheck(name: "n", source: .cloudWatch(metric), comparison: .below, threshold: 1)
        // An end before the start: moto and AWS both refuse it.
        let refused = await reader.read(check, from: now, to: now.addingTimeInterval(-3_600))
        guard case .unavailable(let why) = refused else { Issue.record("expected unavailable, got \(refused)"); return }
        #expect(why.contains("CloudWatch GetMetricData in eu-west-1 failed"))
        #expect(why.contains("ValidationError"))
        #expect(!why.contains("moto-secret-key"))
        let empty = await reader.read(check, from: now.addingTimeInterval(-600), to: now)
        #expect(empty == .samples([]))

        metric.region = nil
        let noRegion = CloudWatchMetricsClient(factory: AWSBackendFactory(
            httpClient: HTTPClient.shared, credentials: factory.credentials, defaultRegion: nil, endpoint: factory.endpoint))
        let unplaced = await noRegion.read(LoadCheck(name: "n", source: .cloudWatch(metric), comparison: .below, threshold: 1),
                                           from: now.addingTimeInterval(-600), to: now)
        #expect(unplaced == .unavailable("CloudWatch metric Responder/None/RequestCount has no region: set region in the check, or aws.region"))
    }
}
