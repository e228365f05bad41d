import Foundation
import ResponderCore
import Testing

@Suite("RunNotifier: what people are told when a run changes")
struct RunNotifierTests {
    static let at = Date(timeIntervalSince1970: 1_790_000_000)

    static func run(page: Bool) -> Run {
        var playbook = Playbook(name: "p", kind: .emergencyScale, match: .init(matchers: []), actions: [],
                                location: FileLocation(file: "p.yaml", line: 1))
        playbook.page = page
        let step = RunStep(index: 0, phase: .actions, anchor: .now, offsetSeconds: 0, due: at,
                           work: .action(.scale(target: "api", change: .to(9))), target: "api", to: 9, detail: "scale api")
        return Run(id: "run-1", playbook: "p", kind: .emergencyScale, targets: ["api"], alertFingerprint: "f", alertName: "A",
                   startedAt: at, steps: [step], dryRun: false, policy: RunPolicy(playbook))
    }

    static func kinds(_ notes: [OutboundNotification]) -> [String] {
        notes.map { "\($0.channel.rawValue).\($0.kind.rawValue)" + ($0.text.isEmpty ? "" : ": \($0.text)") }
    }

    @Test("a paging run: trigger and the Slack message at the start; change per step; acknowledge; resolve at the end")
    func pagingLifecycle() {
        let notifier = RunNotifier(channels: [.slack, .pagerduty])
        var run = Self.run(page: true)
        run.history.append(RunEvent(at: Self.at, message: "started by alert A"))
        #expect(Self.kinds(notifier.notifications(before: nil, after: run, now: Self.at)) == [
            "pagerduty.trigger", "slack.run_message", "slack.thread_reply: started by alert A",
        ])
        var done = run
        done.steps[0].status = .done
        done.steps[0].outcome = "replicas 2 → 9"
        done.history.append(RunEvent(at: Self.at, message: "step 0 done"))
        #expect(Self.kinds(notifier.notifications(before: run, after: done, now: Self.at)) == [
            "slack.run_message", "slack.thread_reply: step 0 done", "pagerduty.change: step 0: replicas 2 → 9",
        ])
        var acked = done
        acked.acknowledgedBy = "alice"
        acked.history.append(RunEvent(at: Self.at, message: "acknowledged by alice"))
        #expect(Self.kinds(notifier.notifications(before: done, after: acked, now: Self.at)).contains("pagerduty.acknowledge"))
        var ended = acked
        ended.status = .completed
        #expect(Self.kinds(notifier.notifications(before: acked, after: ended, now: Self.at)) == [
            "slack.run_message", "slack.run_report", "pagerduty.resolve",
        ])
        #expect(notifier.notifications(before: ended, after: ended, now: Self.at).isEmpty, "no change, nothing to say")
    }

    @Test("the scaling report is queued once, when the run ends: not while undo steps still run, not after")
    func reportWhenTheRunEnds() {
        let notifier = RunNotifier(channels: [.slack])
        let run = Self.run(page: false)
        var closing = run
        closing.closing = .aborted
        closing.history.append(RunEvent(at: Self.at, message: "aborted by alice; undoing: step 1"))
        #expect(!Self.kinds(notifier.notifications(before: run, after: closing, now: Self.at)).contains("slack.run_report"))
        var ended = closing
        ended.status = .aborted
        ended.closing = nil
        ended.history.append(RunEvent(at: Self.at, message: "undo done"))
        #expect(Self.kinds(notifier.notifications(before: closing, after: ended, now: Self.at)) == [
            "slack.run_message", "slack.thread_reply: undo done", "slack.run_report",
        ], "after the last history line")
        var later = ended
        later.history.append(RunEvent(at: Self.at, message: "a late line"))
        #expect(!Self.kinds(notifier.notifications(before: ended, after: later, now: Self.at)).contains("slack.run_report"))
        #expect(Self.kinds(RunNotifier(channels: [.pagerduty]).notifications(before: closing, after: ended, now: Self.at)).isEmpty)
    }

    @Test("a run that does not page never reaches PagerDuty; unconfigured channels get nothing")
    func channels() {
        let run = Self.run(page: false)
        #expect(Self.kinds(RunNotifier(channels: [.slack, .pagerduty]).notifications(before: nil, after: run, now: Self.at))
            == ["slack.run_message"])
        #expect(RunNotifier(channels: []).notifications(before: nil, after: Self.run(page: true), now: Self.at).isEmpty)
    }
}
