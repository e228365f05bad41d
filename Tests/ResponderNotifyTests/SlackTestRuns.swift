import AsyncHTTPClient
import Foundation
import NIOCore
import ResponderCore
import ResponderNotify
import ResponderTestSupport
import Testing

/// Runs, links and raw HTTP helpers shared by the Slack and PagerDuty tests.
enum SlackTestRuns {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    /// An emergency-scale run: step 0 done (scale up), ladder steps 1 and 2 pending after the resolve.
    static func run(status: RunStatus = .active, acknowledgedBy: String? = nil, alertName: String = "QueueDepthHigh",
                    kind: Playbook.Kind = .emergencyScale) -> Run {
        let playbook = Playbook(name: "worker-queue-depth-high", kind: kind, match: .init(matchers: []), actions: [],
                                location: FileLocation(file: "p.yaml", line: 1))
        var up = RunStep(index: 0, phase: .actions, anchor: .now, offsetSeconds: 0, due: start,
                         work: .action(.scale(target: "worker", change: .to(9))), target: "worker", to: 9,
                         detail: "scale worker: replicas 4 -> 9")
        up.status = .done
        up.finishedAt = start.addingTimeInterval(2)
        up.outcome = "replicas 9"
        let down1 = RunStep(index: 1, phase: .ladder, anchor: .resolve, offsetSeconds: 2400, due: nil,
                            work: .action(.scale(target: "worker", change: .to(5))), target: "worker", to: 5,
                            detail: "scale worker: replicas 9 -> 5")
        let down2 = RunStep(index: 2, phase: .ladder, anchor: .resolve, offsetSeconds: 3000, due: nil,
                            work: .action(.scale(target: "worker", change: .to(2))), target: "worker", to: 2,
                            detail: "scale worker: replicas 5 -> 2")
        var run = Run(id: "run-7", playbook: playbook.name, kind: kind, targets: ["worker"], alertFingerprint: "ba9dff575eaaa157",
                      alertName: alertName, status: status, startedAt: start, steps: [up, down1, down2], dryRun: false,
                      policy: RunPolicy(playbook))
        run.acknowledgedBy = acknowledgedBy
        run.history = [RunEvent(at: start, message: "started by alert \(alertName)"),
                       RunEvent(at: start.addingTimeInterval(2), message: "step 0 done: replicas 9")]
        if !run.isOpen {
            run.endedAt = start.addingTimeInterval(600)
            for index in 1...2 {
                run.steps[index].status = .cancelled
                run.steps[index].finishedAt = start.addingTimeInterval(600)
            }
        }
        if status == .held { run.heldAt = start.addingTimeInterval(60) }
        return run
    }

    /// A link per command: `https://responder.example/actions/tok-<command>`.
    static func links(_ commands: [RunCommand] = RunCommand.allCases) -> [RunCommand: ActionLink] {
        Dictionary(uniqueKeysWithValues: commands.map {
            ($0, ActionLink(url: "https://responder.example/actions/tok-\($0.rawValue)", token: "tok-\($0.rawValue)"))
        })
    }

    /// The buttons of an actions block, if the message has one.
    static func buttons(_ message: SlackMessage) -> [SlackButton] {
        message.blocks.flatMap { block -> [SlackButton] in
            if case .actions(_, let buttons) = block { return buttons }
            return []
        }
    }

    /// Every text of a message's blocks.
    static func texts(_ message: SlackMessage) -> [String] {
        message.blocks.flatMap { block -> [String] in
            switch block {
            case .header(let text), .section(let text): return [text]
            case .context(let texts): return texts
            case .actions(_, let buttons): return buttons.map(\.text)
            case .divider: return []
            }
        }
    }

    /// A raw POST, for the fake-contract tests: status, `Retry-After`, body text.
    static func post(_ url: String, headers: [(String, String)], body: String) async throws -> (status: Int, retryAfter: String?, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers.first(name: "Retry-After"), String(buffer: buffer))
    }

    /// The body of a message encoded as the client sends it.
    static func json(_ message: SlackMessage) throws -> FakeJSON {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try #require(FakeJSON.parse(Array(try encoder.encode(message))))
    }
}

extension SlackTestRuns {
    /// The error `body` threw, nil when it passed.
    static func failure(_ body: () async throws(NotifyError) -> Void) async -> NotifyError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    /// The message of a permanent error, nil for anything else.
    static func permanentMessage(_ error: NotifyError?) -> String? {
        if case .permanent(let message) = error { return message }
        return nil
    }

    /// The message and delay of a retryable error, nil for anything else.
    static func retryable(_ error: NotifyError?) -> (message: String, after: Duration?)? {
        if case .retryable(let message, let after) = error { return (message, after) }
        return nil
    }
}
