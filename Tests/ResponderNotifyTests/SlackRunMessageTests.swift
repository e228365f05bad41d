import Foundation
import ResponderCore
import ResponderNotify
import ResponderTestSupport
import Testing

@Suite("SlackRunMessage: the Block Kit message of a run")
struct SlackRunMessageTests {
    typealias T = SlackTestRuns

    static func render(_ run: Run, links: [RunCommand: ActionLink] = T.links()) -> SlackMessage {
        SlackRunMessage.render(run: run, links: links, now: T.start.addingTimeInterval(30))
    }

    @Test("an active, unacknowledged run has Acknowledge, Hold step-down and Abort run, each with its token and link")
    func activeButtons() throws {
        let buttons = T.buttons(Self.render(T.run()))
        #expect(buttons.map(\.text) == ["Acknowledge", "Hold step-down", "Abort run"])
        #expect(buttons.map(\.actionID) == ["responder_ack", "responder_hold", "responder_abort"])
        #expect(buttons.map(\.value) == ["tok-ack", "tok-hold", "tok-abort"])
        #expect(buttons.map(\.url) == ["https://responder.example/actions/tok-ack", "https://responder.example/actions/tok-hold",
                                       "https://responder.example/actions/tok-abort"])
        #expect(buttons.map(\.style) == [.primary, nil, .danger])
        #expect(buttons[2].confirm?.title == "Abort this run?")
    }

    @Test("acknowledged: no Acknowledge; held: Resume instead of Hold")
    func applicableButtons() {
        #expect(T.buttons(Self.render(T.run(acknowledgedBy: "alice"))).map(\.text) == ["Hold step-down", "Abort run"])
        #expect(T.buttons(Self.render(T.run(status: .held))).map(\.text) == ["Acknowledge", "Resume", "Abort run"])
        #expect(T.buttons(Self.render(T.run(status: .held, acknowledgedBy: "bob"))).map(\.text) == ["Resume", "Abort run"])
    }

    @Test("no buttons once the run has ended, even when links are passed", arguments: [RunStatus.completed, .aborted, .failed, .preempted])
    func endedHasNoButtons(_ status: RunStatus) {
        let message = Self.render(T.run(status: status))
        #expect(T.buttons(message).isEmpty)
        #expect(SlackRunMessage.commands(for: T.run(status: status)).isEmpty)
        #expect(!message.blocks.contains { if case .actions = $0 { return true } else { return false } })
        #expect(!T.texts(message).joined().contains("Still to come"))
    }

    @Test("a command without a link gets no button; with buttonURLs false the buttons carry only the token")
    func missingLinkAndNoURLs() {
        #expect(T.buttons(Self.render(T.run(), links: T.links([.abort]))).map(\.text) == ["Abort run"])
        let noURLs = SlackRunMessage.render(run: T.run(), links: T.links(), now: T.start, buttonURLs: false)
        #expect(T.buttons(noURLs).allSatisfy { $0.url == nil && $0.value != nil })
    }

    @Test("says what fired, which playbook and kind, the status, what was done and what is to come")
    func content() throws {
        var run = T.run(acknowledgedBy: "alice")
        run.resolvedAt = T.start.addingTimeInterval(120)
        run.steps[1].due = T.start.addingTimeInterval(120 + 2400)
        let message = Self.render(run)
        let all = T.texts(message).joined(separator: "\n")
        guard case .header(let header) = message.blocks[0] else { Issue.record("no header first"); return }
        #expect(header.contains("QueueDepthHigh") && header.contains("active"))
        #expect(all.contains("*Playbook:* worker-queue-depth-high (emergency-scale)"))
        #expect(all.contains("acknowledged by alice"))
        #expect(all.contains("*What was done*\n:white_check_mark: <!date^1790000002^{time}|2026-09-21 14:13 UTC> step 0 · scale worker: replicas 4 -&gt; 9 — replicas 9"))
        #expect(all.contains("*Still to come*\n• <!date^1790002520^{date_short_pretty} {time}|2026-09-21 14:55 UTC> step 1 · scale worker: replicas 9 -&gt; 5"))
        #expect(all.contains("• (50m after the resolve) step 2 · scale worker"))
        #expect(message.text.contains("QueueDepthHigh → worker-queue-depth-high (emergency-scale) is active, acknowledged by alice"))
        #expect(message.text.contains("Next: step 1 at 2026-09-21 14:55 UTC"))
    }

    @Test("200 steps stay within 50 blocks, 3000 characters per section, and what is left out is counted")
    func limits() throws {
        var run = T.run()
        let template = run.steps[1]
        run.steps = (0..<200).map { index in
            var step = template
            step.index = index
            step.detail = "scale worker: replicas \(200 - index) -> \(199 - index) with a long description " + String(repeating: "x", count: 150)
            if index < 100 {
                step.status = .done
                step.finishedAt = T.start.addingTimeInterval(Double(index))
                step.outcome = String(repeating: "output & more ", count: 40)
            }
            return step
        }
        let message = Self.render(run)
        #expect(message.blocks.count <= 50)
        #expect(message.text.count <= 40000)
        for block in message.blocks {
            switch block {
            case .section(let text): #expect(text.count <= 3000)
            case .header(let text): #expect(text.count <= 150)
            default: break
            }
        }
        let all = T.texts(message).joined(separator: "\n")
        #expect(all.contains("earlier steps not shown"))
        #expect(all.contains("more steps_"))
        #expect(all.contains("step 99 ·"), "the newest done step is kept")
        #expect(all.contains("step 100 ·"), "the next step to come is kept")
        #expect(FakeSlackBlockRules.problems(try T.json(message)["blocks"] ?? .null) == [])
    }

    @Test("alert-provided text cannot inject mentions or links: <, > and & are escaped everywhere")
    func escaping() throws {
        let evil = "<!channel> <https://evil.example|click me> & <@U123>"
        var run = T.run(acknowledgedBy: "<!here>", alertName: evil)
        run.steps[0].outcome = "<!everyone> done"
        run.steps[1].detail = "scale <https://evil.example|worker>"
        run.history.append(RunEvent(at: T.start, message: "held by <!subteam^S1>"))
        for message in [Self.render(run), SlackRunMessage.renderForWebhook(run: run, links: T.links(), now: T.start)] {
            // The header is plain_text, which Slack never parses for links or mentions; everything else is mrkdwn.
            for text in T.texts(message).dropFirst() + [message.text] {
                Self.expectOnlyOwnMarkup(text)
            }
            #expect(T.texts(message).joined().contains("&lt;!channel&gt; &lt;https://evil.example|click me&gt; &amp; &lt;@U123&gt;"))
        }
        let line = SlackRunMessage.eventText(run: run, event: RunEvent(at: T.start, message: "ack by <!channel>"), inThread: false)
        Self.expectOnlyOwnMarkup(line)
        #expect(line.contains("ack by &lt;!channel&gt;"))
    }

    // Every `<` must open Responder's own markup: a date token or an action link.
    static func expectOnlyOwnMarkup(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var rest = Substring(text)
        while let index = rest.firstIndex(of: "<") {
            let tail = rest[index...]
            #expect(tail.hasPrefix("<!date^") || tail.hasPrefix("<https://responder.example/actions/"),
                    "unexpected markup: \(tail.prefix(40))", sourceLocation: sourceLocation)
            rest = rest[rest.index(after: index)...]
        }
    }

    @Test("a 500-character alert name keeps the header within 150 characters")
    func longHeader() {
        let message = Self.render(T.run(alertName: String(repeating: "A", count: 500)))
        guard case .header(let header) = message.blocks[0] else { Issue.record("no header"); return }
        #expect(header.count <= 150 && header.hasSuffix("…"))
    }

    @Test("the webhook variant has no buttons but mrkdwn links, and none once the run ended")
    func webhookVariant() {
        let open = SlackRunMessage.renderForWebhook(run: T.run(), links: T.links(), now: T.start)
        #expect(T.buttons(open).isEmpty)
        #expect(T.texts(open).contains("*Act:* <https://responder.example/actions/tok-ack|Acknowledge>  ·  "
            + "<https://responder.example/actions/tok-hold|Hold step-down>  ·  <https://responder.example/actions/tok-abort|Abort run>"))
        let ended = SlackRunMessage.renderForWebhook(run: T.run(status: .completed), links: T.links(), now: T.start)
        #expect(!T.texts(ended).joined().contains("*Act:*"))
    }

    @Test("event lines: a thread reply with its time, a standalone line naming run, playbook and alert")
    func eventText() {
        let event = RunEvent(at: T.start, message: "held by alice")
        #expect(SlackRunMessage.eventText(run: T.run(), event: event) == "<!date^1790000000^{time}|2026-09-21 14:13 UTC> held by alice")
        #expect(SlackRunMessage.eventText(run: T.run(), event: event, inThread: false)
            == "*Responder* run-7 (worker-queue-depth-high, alert QueueDepthHigh): held by alice · <!date^1790000000^{time}|2026-09-21 14:13 UTC>")
    }

    @Test("blocks encode to Slack's exact JSON and decode back")
    func encoding() throws {
        let message = Self.render(T.run())
        let json = try T.json(message)
        #expect(json["blocks"]?[0]?.description == #"{"text":{"emoji":true,"text":":large_green_circle: QueueDepthHigh: active","type":"plain_text"},"type":"header"}"#)
        #expect(json["blocks"]?[2]?.description == #"{"type":"divider"}"#)
        let actions = try #require(json["blocks"]?.array?.first { $0["type"]?.string == "actions" })
        #expect(actions["elements"]?[0]?.description == #"{"action_id":"responder_ack","style":"primary","text":{"emoji":true,"text":"Acknowledge","type":"plain_text"},"type":"button","url":"https://responder.example/actions/tok-ack","value":"tok-ack"}"#)
        let data = try JSONEncoder().encode(message)
        #expect(try JSONDecoder().decode(SlackMessage.self, from: data) == message)
    }
}
