import Foundation
import NIOConcurrencyHelpers
import ResponderCore

/// An inner executor that records the steps it was asked to run and always succeeds.
final class RecordingInner: StepExecutor {
    private let calls = NIOLockedValueBox<[(Int, Bool)]>([])

    /// `(step index, dryRun)` of every call.
    var executed: [(Int, Bool)] { calls.withLockedValue { $0 } }

    func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult {
        calls.withLockedValue { $0.append((step.index, dryRun)) }
        return .success(detail: "scaled worker to 4", snapshot: ["worker": "6"])
    }

    func replicas(of targets: [String]) async -> [String: Int] { ["worker": 6] }

    func autoscalerDesired(of targets: [String]) async -> [String: Int] { ["worker": 5] }
}

/// A reader answering a fixed reading and recording the ranges asked for.
final class FixedReader: MetricReader {
    private let reading: MetricReading
    private let asked = NIOLockedValueBox<[(Date, Date)]>([])

    init(_ reading: MetricReading) { self.reading = reading }

    /// The `(from, to)` of every read.
    var ranges: [(Date, Date)] { asked.withLockedValue { $0 } }

    func read(_ check: LoadCheck, from start: Date, to end: Date) async -> MetricReading {
        asked.withLockedValue { $0.append((start, end)) }
        return reading
    }
}

/// A ladder step scaling `worker` to 4, gated by `checks`.
func gatedStep(_ checks: [LoadCheck]?) -> RunStep {
    var step = RunStep(index: 3, phase: .ladder, anchor: .resolve, offsetSeconds: 600, due: nil,
                       work: .action(.scale(target: "worker", change: .to(4))), target: "worker", to: 4,
                       detail: "scale worker to 4")
    step.checks = checks
    return step
}

/// `requests below 300` on Prometheus, with `window`.
func requestsCheck(window: Duration = .zero, url: String? = nil, query: String = "sum(rate(http_requests_total[5m]))") -> LoadCheck {
    LoadCheck(name: "requests", source: .prometheus(query: query, url: url), comparison: .below, threshold: 300,
              window: window, recheck: .seconds(30), maxWait: .seconds(3_600))
}
