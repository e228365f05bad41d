import Crypto
import Foundation
import NIOConcurrencyHelpers
import ResponderCore
import ResponderNotify
import ResponderRuntime
import ResponderServer
import ResponderTestSupport
import Testing

/// Slack and PagerDuty over real sockets: a run's messages reach local fakes that enforce the real APIs' contracts
/// (neither service can be reached from here), the links in them act once, Slack buttons are verified, and an outage
/// of the fakes delays messages without losing or repeating any.
@Suite("notifications and acknowledgement end to end")
struct NotificationsEndToEndTests {
    static let location = FileLocation(file: "Playbooks/workers.yaml", line: 1)
    static let signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"

    static let playbooks: PlaybookSet = {
        var playbook = Playbook(
            name: "queue-depth-workers", kind: .emergencyScale,
            match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "HighQueueDepth")]),
            actions: [.scale(target: "worker", change: .by(5))],
            ladder: .init(every: .seconds(1800), levels: [("worker", [.replicas(4), .floor])]), location: location
        )
        playbook.page = true
        return PlaybookSet(
            targets: ["worker": Target(name: "worker", backend: .compose(.init(project: "demo", service: "worker")),
                                       bounds: .init(floor: 2, ceiling: 20), location: location)],
            playbooks: [playbook], files: ["workers.yaml"])
    }()

    static func configure(slack: FakeSlack, pagerDuty: FakePagerDuty, interactive: Bool = false) -> @Sendable (inout ResponderConfig) -> Void {
        { config in
            config.slack.botToken = Secret(slack.token)
            config.slack.channel = "C0RESPONDER"
            config.slack.apiURL = slack.baseURL
            if interactive { config.slack.signingSecret = Secret(signingSecret) }
            config.pagerDuty.routingKey = Secret(pagerDuty.routingKey)
            config.pagerDuty.eventsURL = pagerDuty.baseURL
            config.links.baseURL = "https://responder.test"
        }
    }

    /// Polls `condition` for up to 10 s.
    static func eventually(_ what: String, _ condition: @Sendable () async throws -> Bool) async throws {
        for _ in 0..<1000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    /// The button of `command` in a Slack message's blocks: its link (absent with interactivity) and its token.
    static func button(_ command: RunCommand, in blocks: FakeJSON?) -> (url: String?, value: String)? {
        for block in blocks?.array ?? [] {
            for element in block["elements"]?.array ?? [] where element["action_id"]?.string == "responder_\(command.rawValue)" {
                if let value = element["value"]?.string { return (element["url"]?.string, value) }
            }
        }
        return nil
    }

    @Test("alert → Slack message with links → Acknowledge (GET shows, POST acts once) → PagerDuty trigger, acknowledge, resolve on one dedup key")
    func acknowledgeFromTheLink() async throws {
        let clock = ManualClock(start: Date())
        try await FakeSlack.with { slack, _ in
            try await FakePagerDuty.with { pagerDuty, _ in
                try await TestServer.with(
                    configure: Self.configure(slack: slack, pagerDuty: pagerDuty), playbooks: { .success(Self.playbooks) },
                    clock: clock, runs: true, notifications: true
                ) { server in
                    #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
                    try await Self.eventually("the run's Slack message") { slack.messages.first.map { Self.button(.ack, in: $0.blocks) != nil } ?? false }
                    let message = try #require(slack.messages.first)
                    let ack = try #require(Self.button(.ack, in: message.blocks)?.url)
                    #expect(ack.hasPrefix("https://responder.test/actions/"))
                    let path = String(ack.dropFirst("https://responder.test".count))

                    let page = try await server.send(.GET, path)
                    #expect(page.status == 200)
                    #expect(page.body.contains("<form") && page.body.contains("method=\"post\""))
                    #expect(page.headers["Cache-Control"].first == "no-store")
                    #expect(try await server.runs?.run(id: "run-1")?.acknowledgedBy == nil, "a GET changes nothing")

                    let form = [("Content-Type", "application/x-www-form-urlencoded")]
                    let acted = try await server.send(.POST, path, body: Array("actor=alice".utf8), headers: form)
                    #expect(acted.status == 200)
                    #expect(try await server.runs?.run(id: "run-1")?.acknowledgedBy == "alice via link")
                    #expect(try await server.send(.POST, path, body: Array("actor=mallory".utf8), headers: form).status == 409)
                    #expect(try await server.runs?.run(id: "run-1")?.acknowledgedBy == "alice via link", "the second POST changed nothing")

                    try await Self.eventually("PagerDuty trigger then acknowledge") { pagerDuty.events.count >= 2 }
                    try await Self.eventually("the Slack message updated with who acknowledged") {
                        slack.messages.first.map { $0.updates > 0 && "\($0.blocks ?? .null)".contains("alice") && Self.button(.ack, in: $0.blocks) == nil } ?? false
                    }

                    #expect(try await server.postAlertmanager(try Fixture.bytes("v4_resolved_minimal.json")).status == 200)
                    try await Self.eventually("the resolve handled") { try await server.runs?.run(id: "run-1")?.resolvedAt != nil }
                    clock.advance(by: .seconds(1800))
                    try await Self.eventually("the run to complete") { try await server.runs?.run(id: "run-1")?.status == .completed }
                    try await Self.eventually("PagerDuty resolve") { pagerDuty.events.count >= 3 }
                    #expect(pagerDuty.events.map(\.eventAction) == ["trigger", "acknowledge", "resolve"])
                    #expect(Set(pagerDuty.events.map(\.dedupKey)) == ["responder-run-1"], "one dedup key for the whole run")
                    #expect(!pagerDuty.changes.isEmpty, "a change event per executed step")
                    #expect(slack.messages.filter { $0.threadTS == nil }.count == 1, "one message per run, updated in place")

                    // Refusals change nothing: a tampered token, an expired one, a link to a finished run.
                    let tampered = String(path.dropLast()) + (path.hasSuffix("A") ? "B" : "A")
                    #expect(try await server.send(.GET, tampered).status == 403)
                    let signer = try ActionLinkSigner(keys: [TestServer.linkKey])
                    let expired = signer.token(run: "run-1", action: .abort, expiresAt: clock.now.date.addingTimeInterval(-1), nonce: "x1")
                    #expect(try await server.send(.POST, "/actions/\(expired)", headers: form).status == 410)
                    let late = signer.token(run: "run-1", action: .abort, expiresAt: clock.now.date.addingTimeInterval(600), nonce: "x2")
                    #expect(try await server.send(.GET, "/actions/\(late)").status == 410)
                    #expect(try await server.send(.POST, "/actions/\(late)", headers: form).status == 410)
                    #expect(try await server.runs?.run(id: "run-1")?.status == .completed)
                }
            }
        }
    }

    /// A Slack interactive request for `token`, signed with `secret` at `timestamp`.
    static func slackRequest(token: String, timestamp: Int, secret: String = signingSecret) -> (body: [UInt8], headers: [(String, String)]) {
        let payload = #"{"type":"block_actions","user":{"id":"U0BOB","username":"bob","name":"bob"},"#
            + #""actions":[{"action_id":"responder_hold","block_id":"responder_run_actions","value":"\#(token)","type":"button"}],"#
            + #""container":{"type":"message","message_ts":"1.0","channel_id":"C0RESPONDER"},"channel":{"id":"C0RESPONDER"}}"#
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = Array(("payload=" + (payload.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")).utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: Array("v0:\(timestamp):".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
        let signature = "v0=" + mac.map { String(format: "%02x", $0) }.joined()
        return (body, [("X-Slack-Request-Timestamp", "\(timestamp)"), ("X-Slack-Signature", signature),
                       ("Content-Type", "application/x-www-form-urlencoded")])
    }

    @Test("a Slack button acts as the Slack user; stale, forged and replayed requests are refused and change nothing")
    func slackButton() async throws {
        let clock = ManualClock(start: Date())
        try await FakeSlack.with { slack, _ in
            try await FakePagerDuty.with { pagerDuty, _ in
                try await TestServer.with(
                    configure: Self.configure(slack: slack, pagerDuty: pagerDuty, interactive: true), playbooks: { .success(Self.playbooks) },
                    clock: clock, runs: true, notifications: true
                ) { server in
                    #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
                    try await Self.eventually("the run's Slack message") { slack.messages.first.map { Self.button(.hold, in: $0.blocks) != nil } ?? false }
                    let hold = try #require(Self.button(.hold, in: slack.messages.first?.blocks))
                    #expect(hold.url == nil, "with interactivity a button carries only its token")
                    let now = Int(clock.now.date.timeIntervalSince1970)

                    let stale = Self.slackRequest(token: hold.value, timestamp: now - 301)
                    #expect(try await server.send(.POST, "/hooks/slack/actions", body: stale.body, headers: stale.headers).status == 401)
                    let forged = Self.slackRequest(token: hold.value, timestamp: now, secret: "not-the-secret")
                    #expect(try await server.send(.POST, "/hooks/slack/actions", body: forged.body, headers: forged.headers).status == 401)
                    #expect(try await server.runs?.run(id: "run-1")?.status == .active)

                    let good = Self.slackRequest(token: hold.value, timestamp: now)
                    #expect(try await server.send(.POST, "/hooks/slack/actions", body: good.body, headers: good.headers).status == 200)
                    let run = try #require(try await server.runs?.run(id: "run-1"))
                    #expect(run.status == .held)
                    #expect(run.history.contains { $0.message.contains("bob (U0BOB) via Slack") })
                    #expect(try await server.send(.POST, "/hooks/slack/actions", body: good.body, headers: good.headers).status == 401,
                            "a replay of an accepted request is refused")
                    try await Self.eventually("the message showing the hold") {
                        slack.messages.first.map { "\($0.blocks ?? .null)".contains("bob") && Self.button(.hold, in: $0.blocks) == nil } ?? false
                    }
                }
            }
        }
    }

    @Test("with only an incoming webhook: the run's first message carries the links, then one message per event")
    func webhookOnly() async throws {
        try await FakeSlack.with { slack, _ in
            try await TestServer.with(
                configure: { config in
                    config.slack.webhookURL = Secret(slack.webhookURL)
                    config.links.baseURL = "https://responder.test"
                },
                playbooks: { .success(Self.playbooks) }, runs: true, notifications: true
            ) { server in
                #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
                try await Self.eventually("the first step done") { try await server.runs?.run(id: "run-1")?.steps.first?.status == .done }
                try await Self.eventually("every notification delivered") {
                    let items = try await server.journal.notifications(runID: "run-1")
                    return !items.isEmpty && items.allSatisfy { $0.status == .delivered }
                }
                let posts = slack.acceptedCalls.filter { $0.method == "webhook" }
                let history = try #require(try await server.runs?.run(id: "run-1")).history
                #expect(posts.count == 1 + history.count, "the run's message, then one per event; updates are not re-posted")
                #expect("\(posts.first?.json ?? .null)".contains("https://responder.test/actions/"), "links as mrkdwn links")
                #expect(!slack.calls.contains { $0.method.hasPrefix("chat.") }, "no Web API call without a bot token")
            }
        }
    }

    @Test("with the fakes answering 429 and 500 for a while, every message is delivered once, in order, after they recover")
    func outage() async throws {
        try await FakeSlack.with { slack, _ in
            try await FakePagerDuty.with { pagerDuty, _ in
                slack.rateLimitNext(2, retryAfter: 1)
                slack.failNext(2, status: 500)
                pagerDuty.rateLimitNext(1, retryAfter: 1)
                pagerDuty.failNext(2, status: 503)
                try await TestServer.with(
                    configure: Self.configure(slack: slack, pagerDuty: pagerDuty), playbooks: { .success(Self.playbooks) },
                    runs: true, notifications: true
                ) { server in
                    let admin = [("Authorization", "Bearer \(TestServer.adminToken)")]
                    #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
                    try await Self.eventually("the first step done") { try await server.runs?.run(id: "run-1")?.steps.first?.status == .done }
                    #expect(try await server.send(.POST, "/api/runs/run-1/ack", body: Array(#"{"actor":"carol"}"#.utf8), headers: admin).status == 200)
                    let run = try #require(try await server.runs?.run(id: "run-1"))
                    try await Self.eventually("every notification delivered") {
                        let items = try await server.journal.notifications(runID: "run-1")
                        return !items.isEmpty && items.allSatisfy { $0.status == .delivered }
                    }
                    let items = try await server.journal.notifications(runID: "run-1")
                    #expect(items.contains { $0.attempts > 1 }, "the outage was seen and retried")
                    let detail = try await server.send(.GET, "/api/runs/run-1", headers: admin)
                    #expect(detail.body.contains(#""notifications":["#) && detail.body.contains(#""status":"delivered""#))

                    #expect(pagerDuty.events.map(\.eventAction) == ["trigger", "acknowledge"], "each once, in order")
                    let replies = slack.acceptedCalls.filter { $0.method == "chat.postMessage" && $0.threadTS != nil }.compactMap(\.text)
                    let history = try #require(try await server.runs?.run(id: "run-1")).history.map(\.message)
                    #expect(replies.count == history.count, "one reply per history line, none repeated")
                    for (reply, line) in zip(replies, history) {
                        let escaped = line.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                            .replacingOccurrences(of: ">", with: "&gt;")
                        #expect(reply.contains(escaped), "replies arrive in history order")
                    }
                    #expect(slack.messages.filter { $0.threadTS == nil }.count == 1)
                    _ = run
                }
            }
        }
    }
}
