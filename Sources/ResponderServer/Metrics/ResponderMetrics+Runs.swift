import Foundation
import Metrics
import ResponderCore

extension ResponderMetrics {
    /// Buckets of `responder_timer_lateness_seconds`: a step on time lands in the first, one held up by a slow tick, a
    /// busy store or a long pause further out (seconds to an hour).
    static let latenessBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600]
    /// Buckets of `responder_step_duration_seconds`: an executor call takes milliseconds (dry-run, a command) to
    /// minutes (a rollout waited for, retries with backoff).
    static let stepDurationBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
    ]
    /// The outcomes of `responder_step_duration_seconds`, each given a series from the start.
    static let stepOutcomes = ["success", "failure", "waiting"]

    /// Records how late a step started against its due time (`responder_timer_lateness_seconds`), in seconds.
    public func stepLateness(_ seconds: TimeInterval) {
        Recorder(label: "responder_timer_lateness_seconds", factory: factory).record(max(0, seconds))
    }

    /// Records how long the executor took over a step, by outcome (`responder_step_duration_seconds{outcome}`:
    /// `success`, `failure` for a retryable or permanent failure, `waiting` when its load checks did not hold).
    public func stepDuration(_ result: StepResult, duration: Duration) {
        let outcome = switch result {
        case .success: "success"
        case .retryable, .permanent: "failure"
        case .waiting: "waiting"
        }
        Metrics.Timer(label: "responder_step_duration_seconds", dimensions: [("outcome", outcome)], factory: factory)
            .record(duration: duration)
    }

    /// Records the runs by status (`responder_runs{status}`): open runs for `active` and `held`, runs ended in the
    /// last day for the others; every status has a series.
    public func runs(_ counts: RunCounts) {
        for status in RunStatus.allCases {
            Gauge(label: "responder_runs", dimensions: [("status", status.rawValue)], factory: factory).record(counts[status])
        }
    }

    /// Records the notifications waiting in the outbox (`responder_outbox_pending{channel}`, every channel) and how
    /// long the oldest has waited at `now` (`responder_outbox_oldest_pending_seconds`, 0 when none waits).
    public func outboxBacklog(_ backlog: OutboxBacklog, now: Date) {
        for channel in OutboundNotification.Channel.allCases {
            Gauge(label: "responder_outbox_pending", dimensions: [("channel", channel.rawValue)], factory: factory)
                .record(backlog.pending[channel] ?? 0)
        }
        let age = backlog.oldestQueuedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0
        Gauge(label: "responder_outbox_oldest_pending_seconds", factory: factory).record(age)
    }

    /// Gives the step histograms and retention's counters their series before the first step or deletion, so a
    /// dashboard shows 0 rather than no data.
    func registerSeries() {
        for kind in RetentionKind.allCases {
            _ = Counter(label: "responder_retention_deleted_total", dimensions: [("kind", kind.rawValue)], factory: factory)
        }
        _ = Recorder(label: "responder_timer_lateness_seconds", factory: factory)
        for outcome in Self.stepOutcomes {
            _ = Metrics.Timer(label: "responder_step_duration_seconds", dimensions: [("outcome", outcome)], factory: factory)
        }
    }
}
