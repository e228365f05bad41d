import Foundation
import ResponderCore
import ResponderNotify
import Testing

@Suite("PagerDuty events built from a run")
struct PagerDutyRunEventTests {
    typealias T = SlackTestRuns

    @Test("trigger: summary, source, severity by kind, component, group, class and details with the next step")
    func trigger() throws {
        var run = T.run(acknowledgedBy: "alice")
        run.resolvedAt = T.start
        run.steps[1].due = T.start.addingTimeInterval(2400)
        let event = PagerDutyEvent.trigger(run: run, dedupKey: "responder-run-7", now: T.start)
        let payload = try #require(event.payload)
        #expect(event.action == .trigger && event.dedupKey == "responder-run-7")
        #expect(payload.summary == "Responder worker-queue-depth-high: QueueDepthHigh — active, acknowledged by alice")
        #expect(payload.source == "responder" && payload.severity == .critical)
        #expect(payload.component == "worker" && payload.group == "worker-queue-depth-high" && payload.eventClass == "emergency-scale")
        #expect(payload.customDetails["next_step"] == "step 1 at \(RFC3339.format(T.start.addingTimeInterval(2400))): scale worker: replicas 9 -> 5")
        #expect(payload.customDetails["acknowledged_by"] == "alice")
        #expect(PagerDutyEvent.trigger(run: T.run(kind: .scaleDown), dedupKey: "k", now: T.start).payload?.severity == .warning)
    }

    @Test("the summary stays within 1024 characters whatever the alert name")
    func longSummary() {
        let summary = PagerDutyRunText.summary(run: T.run(alertName: String(repeating: "A", count: 5000)))
        #expect(summary.count <= 1024 && summary.hasSuffix("…"))
    }

    @Test("an ended run has no next step in its details")
    func endedDetails() {
        #expect(PagerDutyRunText.details(run: T.run(status: .completed))["next_step"] == nil)
        #expect(PagerDutyRunText.details(run: T.run())["next_step"] == "step 1 (40m after the resolve): scale worker: replicas 9 -> 5")
    }
}
