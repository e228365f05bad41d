import Foundation
import ResponderCore
import ResponderExecutors
import Testing

@Suite("Gated executor: load checks before a step")
struct GatedExecutorTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test("a step without checks goes straight to the inner executor, and nothing is read")
    func noChecks() async {
        let inner = RecordingInner()
        let reader = FixedReader(.unavailable("down"))
        let gated = GatedExecutor(inner, reader: reader, now: { Self.now })
        for checks in [nil, [LoadCheck]()] {
            let result = await gated.execute(gatedStep(checks), runID: "r", snapshot: [:], dryRun: false)
            #expect(result == .success(detail: "scaled worker to 4", snapshot: ["worker": "6"]))
        }
        #expect(inner.executed.count == 2)
        #expect(reader.ranges.isEmpty)
    }

    @Test("a check above its threshold waits, names the value and does not run the step, dry-run or not", arguments: [false, true])
    func waits(dryRun: Bool) async throws {
        let inner = RecordingInner()
        let reader = FixedReader(.samples([MetricSample(at: Self.now.addingTimeInterval(-5), value: 412)]))
        let gated = GatedExecutor(inner, reader: reader, now: { Self.now })
        let result = await gated.execute(gatedStep([requestsCheck()]), runID: "r", snapshot: [:], dryRun: dryRun)
        guard case .waiting(let wait) = result else { Issue.record("expected waiting, got \(result)"); return }
        #expect(wait.reason == "412 is not below 300")
        #expect(wait.value == 412)
        #expect(wait.recheck == .seconds(30))
        #expect(inner.executed.isEmpty)
        let range = try #require(reader.ranges.first)
        #expect(range.1 == Self.now)
        #expect(range.0 == Self.now.addingTimeInterval(-15))
    }

    @Test("checks that hold run the step and the detail says what they saw; the window is read in full")
    func holds() async throws {
        let inner = RecordingInner()
        let samples = stride(from: 600.0, through: 0, by: -15).map { MetricSample(at: Self.now.addingTimeInterval(-$0), value: 120) }
        let reader = FixedReader(.samples(samples))
        let gated = GatedExecutor(inner, reader: reader, now: { Self.now })
        let check = requestsCheck(window: .seconds(600))
        let result = await gated.execute(gatedStep([check, requestsCheck()]), runID: "r", snapshot: [:], dryRun: true)
        #expect(result == .success(
            detail: "scaled worker to 4 (checks held: requests below 300 for 10m: max 120; requests below 300: 120)",
            snapshot: ["worker": "6"]))
        #expect(inner.executed.map(\.0) == [3])
        #expect(inner.executed.map(\.1) == [true])
        let range = try #require(reader.ranges.first)
        #expect(range.0 == Self.now.addingTimeInterval(-615))
    }

    @Test("an unconfigured source waits saying what to configure")
    func unconfigured() async {
        let gated = GatedExecutor(RecordingInner(), reader: MetricRouter(prometheus: nil, cloudWatch: nil), now: { Self.now })
        let result = await gated.execute(gatedStep([requestsCheck()]), runID: "r", snapshot: [:], dryRun: false)
        guard case .waiting(let wait) = result else { Issue.record("expected waiting, got \(result)"); return }
        #expect(wait.reason == "cannot be evaluated: prometheus.url is not configured")
        let cloudWatch = LoadCheck(name: "cpu", source: .cloudWatch(CloudWatchMetric(namespace: "AWS/ECS", metricName: "CPUUtilization")),
                                   comparison: .below, threshold: 50)
        let other = await gated.execute(gatedStep([cloudWatch]), runID: "r", snapshot: [:], dryRun: false)
        guard case .waiting(let wait2) = other else { Issue.record("expected waiting, got \(other)"); return }
        #expect(wait2.reason.hasPrefix("cannot be evaluated: CloudWatch is not configured"))
    }

    @Test("replicas and autoscaler readings are the inner executor's")
    func forwards() async {
        let gated = GatedExecutor(RecordingInner(), reader: FixedReader(.samples([])), now: { Self.now })
        #expect(await gated.replicas(of: ["worker"]) == ["worker": 6])
        #expect(await gated.autoscalerDesired(of: ["worker"]) == ["worker": 5])
    }
}
