import Foundation
import ResponderCore
import ResponderNotify
import ResponderServer
import ResponderTestSupport
import Testing

/// The scaling report reaches the run's Slack thread (the local fake enforces the Web API's contract) exactly once,
/// when the run ends.
@Suite("scaling report in the run's Slack thread")
struct RunReportChatTests {
    static func configure(slack: FakeSlack) -> @Sendable (inout ResponderConfig) -> Void {
        { config in
            config.slack.botToken = Secret(slack.token)
            config.slack.channel = "C0RESPONDER"
            config.slack.apiURL = slack.baseURL
        }
    }

    static func reports(_ slack: FakeSlack) -> [FakeSlack.Message] {
        slack.messages.filter { $0.text.hasPrefix("*Scaling report: run-1") }
    }

    @Test("abort ends the run: one threaded reply with the report, after the thread's other replies; nothing more later")
    func reportOnceInTheThread() async throws {
        try await FakeSlack.with { slack, _ in
            try await TestServer.with(configure: Self.configure(slack: slack), playbooks: { .success(NotificationsEndToEndTests.playbooks) },
                                      runs: true, notifications: true) { server in
                let admin = [("Authorization", "Bearer \(TestServer.adminToken)")]
                #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
                try await NotificationsEndToEndTests.eventually("the run's Slack message") { !slack.messages.isEmpty }
                try await NotificationsEndToEndTests.eventually("the first step done") {
                    try await server.runs?.run(id: "run-1")?.steps.first?.status == .done
                }
                #expect(Self.reports(slack).isEmpty, "no report while the run is open")
                #expect(try await server.send(.POST, "/api/runs/run-1/abort?actor=alice", headers: admin).status == 200)
                try await NotificationsEndToEndTests.eventually("the report in the thread") { !Self.reports(slack).isEmpty }

                let root = try #require(slack.messages.first { $0.threadTS == nil })
                let report = try #require(Self.reports(slack).first)
                #expect(report.threadTS == root.ts, "a reply in the run's thread")
                #expect(report.channel == root.channel)
                #expect(report.text.contains("*aborted* after"), "\(report.text)")
                #expect(report.text.contains("• aborted by alice at <!date^"), "\(report.text)")
                #expect(report.text.contains("worker: 2 → peak 7 → final 7"), "\(report.text)")
                #expect(report.text.contains("(2 → 7), by responder (alert HighQueueDepth)"), "\(report.text)")
                #expect(slack.messages.last == report, "the last message of the thread")

                // Later changes (a re-fire into the ended run's cooldown, more drains) post no second report.
                #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
                try await Task.sleep(for: .milliseconds(500))
                #expect(Self.reports(slack).count == 1)
                let posts = slack.acceptedCalls.filter { $0.method == "chat.postMessage" && ($0.text ?? "").hasPrefix("*Scaling report") }
                #expect(posts.count == 1)
            }
        }
    }
}

@Suite("SlackRunReport: the report as Slack mrkdwn")
struct SlackRunReportTests {
    static func run(outcome: String, steps count: Int = 1) -> Run {
        var steps: [RunStep] = []
        for index in 0..<count {
            var step = RunStep(index: index, phase: .actions, anchor: .now, offsetSeconds: 0, due: nil,
                               work: .action(.scale(target: "api", change: .to(index + 3))), target: "api", to: index + 3,
                               detail: "replicas <!channel> & <http://evil|click>")
            step.from = index + 2
            step.status = .done
            step.finishedAt = Date(timeIntervalSince1970: 1_790_000_000 + Double(index))
            step.outcome = outcome
            steps.append(step)
        }
        var run = RunSamples.run("run-1", status: .completed, endedAt: Date(timeIntervalSince1970: 1_790_100_000), steps: steps)
        run.history = [RunEvent(at: RunSamples.start, message: "aborted by <!here> mallory: x")]
        return run
    }

    @Test("values from outside cannot mention, link or broadcast")
    func escaped() {
        let text = SlackRunReport.text(ScalingReport(run: Self.run(outcome: "ok")))
        #expect(!text.contains("<!channel>") && !text.contains("<!here>") && !text.contains("<http"))
        #expect(text.contains("replicas &lt;!channel&gt; &amp; &lt;http://evil|click&gt;"))
        #expect(text.contains("aborted by &lt;!here&gt; mallory"))
    }

    @Test("a long report is cut at a line, with a pointer to the API")
    func capped() {
        let text = SlackRunReport.text(ScalingReport(run: Self.run(outcome: "ok", steps: 200)))
        #expect(text.utf16.count <= SlackLimits.reportText)
        #expect(text.hasSuffix("… cut to fit Slack: the whole report is at `GET /api/runs/run-1/report`"))
        let short = SlackRunReport.text(ScalingReport(run: Self.run(outcome: "ok", steps: 2)))
        #expect(!short.contains("cut to fit Slack"))
    }
}
