import Foundation
import ResponderCore
import ResponderServer
import Testing

/// The metrics the dashboard charts that the run driver and the notification service hand over: timer lateness, step
/// duration, runs by status, the outbox's backlog; and the series every dashboard panel finds from the start.
@Suite("metrics: timer lateness, step duration, runs by status, outbox backlog")
struct DashboardMetricsTests {
    /// The value of the sample whose line starts with `series` followed by a space.
    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("a fresh registry already has the step histograms and retention's counters, at 0")
    func seriesFromTheStart() {
        let text = ResponderMetrics().render()
        #expect(Self.value(text, "responder_timer_lateness_seconds_count") == 0, "\(text)")
        for outcome in ["success", "failure", "waiting"] {
            #expect(Self.value(text, #"responder_step_duration_seconds_count{outcome="\#(outcome)"}"#) == 0)
        }
        for kind in RetentionKind.allCases {
            #expect(Self.value(text, #"responder_retention_deleted_total{kind="\#(kind.rawValue)"}"#) == 0)
        }
    }

    @Test("lateness falls in seconds-to-minutes buckets; early starts count as on time")
    func lateness() {
        let metrics = ResponderMetrics()
        metrics.stepLateness(0)
        metrics.stepLateness(-3)
        metrics.stepLateness(4)
        metrics.stepLateness(90)
        let text = metrics.render()
        #expect(Self.value(text, "responder_timer_lateness_seconds_count") == 4, "\(text)")
        #expect(Self.value(text, "responder_timer_lateness_seconds_sum") == 94)
        #expect(Self.value(text, #"responder_timer_lateness_seconds_bucket{le="0.05"}"#) == 2)
        #expect(Self.value(text, #"responder_timer_lateness_seconds_bucket{le="5.0"}"#) == 3)
        #expect(Self.value(text, #"responder_timer_lateness_seconds_bucket{le="60.0"}"#) == 3)
        #expect(Self.value(text, #"responder_timer_lateness_seconds_bucket{le="120.0"}"#) == 4)
    }

    @Test("step durations are recorded by outcome: success, failure (retryable or permanent), waiting")
    func stepDuration() {
        let metrics = ResponderMetrics()
        metrics.stepDuration(.success(detail: "replicas 12", snapshot: [:]), duration: .milliseconds(300))
        metrics.stepDuration(.retryable("timeout"), duration: .seconds(10))
        metrics.stepDuration(.permanent("403"), duration: .milliseconds(20))
        metrics.stepDuration(.waiting(GateWait(check: "p95", reason: "p95 too high", value: 0.9, recheck: .seconds(30), maxWait: .seconds(600))), duration: .milliseconds(5))
        let text = metrics.render()
        #expect(Self.value(text, #"responder_step_duration_seconds_count{outcome="success"}"#) == 1, "\(text)")
        #expect(Self.value(text, #"responder_step_duration_seconds_count{outcome="failure"}"#) == 2)
        #expect(Self.value(text, #"responder_step_duration_seconds_count{outcome="waiting"}"#) == 1)
        #expect(Self.value(text, #"responder_step_duration_seconds_bucket{outcome="failure",le="0.05"}"#) == 1)
        #expect(Self.value(text, #"responder_step_duration_seconds_bucket{outcome="failure",le="10.0"}"#) == 2)
        #expect(Self.value(text, #"responder_step_duration_seconds_bucket{outcome="success",le="0.5"}"#) == 1)
    }

    @Test("runs by status: every status has a series, a later count replaces the earlier one")
    func runs() {
        let metrics = ResponderMetrics()
        metrics.runs(RunCounts(byStatus: [.active: 2, .held: 1, .completed: 5]))
        metrics.runs(RunCounts(byStatus: [.active: 1, .completed: 6]))
        let text = metrics.render()
        #expect(Self.value(text, #"responder_runs{status="active"}"#) == 1, "\(text)")
        #expect(Self.value(text, #"responder_runs{status="held"}"#) == 0)
        #expect(Self.value(text, #"responder_runs{status="completed"}"#) == 6)
        #expect(Self.value(text, #"responder_runs{status="failed"}"#) == 0)
    }

    @Test("the outbox backlog: pending by channel (0 for a channel with none), the oldest's age at the reading")
    func outbox() {
        let metrics = ResponderMetrics()
        let now = Date(timeIntervalSince1970: 1_000_000)
        metrics.outboxBacklog(OutboxBacklog(pending: [.slack: 3], oldestQueuedAt: now.addingTimeInterval(-42)), now: now)
        var text = metrics.render()
        #expect(Self.value(text, #"responder_outbox_pending{channel="slack"}"#) == 3, "\(text)")
        #expect(Self.value(text, #"responder_outbox_pending{channel="pagerduty"}"#) == 0)
        #expect(Self.value(text, "responder_outbox_oldest_pending_seconds") == 42)
        metrics.outboxBacklog(OutboxBacklog(), now: now.addingTimeInterval(5))
        text = metrics.render()
        #expect(Self.value(text, #"responder_outbox_pending{channel="slack"}"#) == 0)
        #expect(Self.value(text, "responder_outbox_oldest_pending_seconds") == 0)
    }
}
