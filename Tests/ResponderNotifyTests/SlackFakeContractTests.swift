import Foundation
import ResponderTestSupport
import Testing

@Suite("FakeSlack refuses what the real Slack refuses")
struct SlackFakeContractTests {
    typealias T = SlackTestRuns

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "chat.postMessage"
        var auth: String? = "good"
        var contentType = "application/json; charset=utf-8"
        var body: String
        var status = 200
        var error: String
        var testDescription: String { name }
    }

    static func blocks(_ json: String) -> String { #"{"channel":"C0RESPONDER","text":"t","blocks":"# + json + "}" }
    static func button(_ fields: String) -> String {
        blocks(#"[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"Go"},"action_id":"a""# + fields + "}]}]")
    }
    static func long(_ count: Int) -> String { String(repeating: "x", count: count) }

    static let refusals: [Refusal] = [
        Refusal(name: "no Authorization header", auth: nil, body: #"{"channel":"C0RESPONDER","text":"t"}"#, error: "not_authed"),
        Refusal(name: "wrong bearer token", auth: "Bearer xoxb-wrong", body: #"{"channel":"C0RESPONDER","text":"t"}"#, error: "invalid_auth"),
        Refusal(name: "form content type", contentType: "application/x-www-form-urlencoded", body: "channel=C0RESPONDER&text=t", error: "invalid_form_data"),
        Refusal(name: "malformed JSON", body: #"{"channel":"#, error: "invalid_json"),
        Refusal(name: "JSON that is not an object", body: #"["C0RESPONDER"]"#, error: "json_not_object"),
        Refusal(name: "no channel", body: #"{"text":"t"}"#, error: "channel_not_found"),
        Refusal(name: "unknown channel", body: #"{"channel":"C0NOPE","text":"t"}"#, error: "channel_not_found"),
        Refusal(name: "neither text nor blocks", body: #"{"channel":"C0RESPONDER","text":""}"#, error: "no_text"),
        Refusal(name: "text over 40,000 characters", body: #"{"channel":"C0RESPONDER","text":""# + long(40001) + #""}"#, error: "msg_too_long"),
        Refusal(name: "51 blocks", body: blocks("[" + Array(repeating: #"{"type":"divider"}"#, count: 51).joined(separator: ",") + "]"), error: "invalid_blocks"),
        Refusal(name: "section text over 3000", body: blocks(#"[{"type":"section","text":{"type":"mrkdwn","text":""# + long(3001) + #""}}]"#), error: "invalid_blocks"),
        Refusal(name: "header over 150", body: blocks(#"[{"type":"header","text":{"type":"plain_text","text":""# + long(151) + #""}}]"#), error: "invalid_blocks"),
        Refusal(name: "header in mrkdwn", body: blocks(#"[{"type":"header","text":{"type":"mrkdwn","text":"x"}}]"#), error: "invalid_blocks"),
        Refusal(name: "unknown block type", body: blocks(#"[{"type":"banner"}]"#), error: "invalid_blocks"),
        Refusal(name: "context with 11 elements", body: blocks(#"[{"type":"context","elements":["# + Array(repeating: #"{"type":"mrkdwn","text":"x"}"#, count: 11).joined(separator: ",") + "]}]"), error: "invalid_blocks"),
        Refusal(name: "button text over 75", body: blocks(#"[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":""# + long(76) + #""}}]}]"#), error: "invalid_blocks"),
        Refusal(name: "button value over 2000", body: button(#","value":""# + long(2001) + #"""#), error: "invalid_blocks"),
        Refusal(name: "button url over 3000", body: button(#","url":"https://x/"# + long(2991) + #"""#), error: "invalid_blocks"),
        Refusal(name: "button style not primary/danger", body: button(#","style":"green""#), error: "invalid_blocks"),
        Refusal(name: "duplicate action_id", body: blocks(#"[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"A"},"action_id":"x"},{"type":"button","text":{"type":"plain_text","text":"B"},"action_id":"x"}]}]"#), error: "invalid_blocks"),
        Refusal(name: "update without ts", method: "chat.update", body: #"{"channel":"C0RESPONDER","text":"t"}"#, error: "message_not_found"),
        Refusal(name: "update of a message never posted", method: "chat.update", body: #"{"channel":"C0RESPONDER","ts":"1.000001","text":"t"}"#, error: "message_not_found"),
        Refusal(name: "reply to a thread never posted", body: #"{"channel":"C0RESPONDER","text":"t","thread_ts":"1.000001"}"#, error: "thread_not_found"),
        Refusal(name: "unknown method", method: "chat.delete", body: #"{"channel":"C0RESPONDER","ts":"1"}"#, status: 404, error: "unknown_method"),
    ]

    @Test("a refused Web API call answers {ok:false,error} and changes nothing", arguments: refusals)
    func refusal(_ refusal: Refusal) async throws {
        try await FakeSlack.with { fake, baseURL in
            var headers = [("Content-Type", refusal.contentType)]
            if let auth = refusal.auth { headers.append(("Authorization", auth == "good" ? "Bearer \(fake.token)" : auth)) }
            let answer = try await T.post("\(baseURL)/\(refusal.method)", headers: headers, body: refusal.body)
            #expect(answer.status == refusal.status)
            let json = try #require(FakeJSON.parse(Array(answer.body.utf8)))
            #expect(json["ok"] == .bool(false))
            #expect(json["error"]?.string == refusal.error)
            #expect(fake.messages.isEmpty)
            #expect(fake.calls.last?.error == refusal.error)
        }
    }

    @Test("invalid_blocks names the offending field with a JSON pointer, like Slack")
    func invalidBlocksPointer() async throws {
        try await FakeSlack.with { fake, baseURL in
            let body = Self.blocks(#"[{"type":"divider"},{"type":"section","text":{"type":"mrkdwn","text":""# + Self.long(3001) + #""}}]"#)
            let answer = try await T.post("\(baseURL)/chat.postMessage", headers: [
                ("Authorization", "Bearer \(fake.token)"), ("Content-Type", "application/json; charset=utf-8")], body: body)
            let json = try #require(FakeJSON.parse(Array(answer.body.utf8)))
            #expect(json["errors"]?[0]?.string == "must be less than 3001 characters [json-pointer:/blocks/1/text/text]")
        }
    }

    @Test("a bot outside the channel gets not_in_channel; an archived channel is_archived")
    func membership() async throws {
        try await FakeSlack.with(FakeSlack(channels: ["C0A", "C0B"])) { fake, baseURL in
            fake.setNotInChannel("C0A")
            fake.archive("C0B")
            let headers = [("Authorization", "Bearer \(fake.token)"), ("Content-Type", "application/json; charset=utf-8")]
            let a = try await T.post("\(baseURL)/chat.postMessage", headers: headers, body: #"{"channel":"C0A","text":"t"}"#)
            let b = try await T.post("\(baseURL)/chat.postMessage", headers: headers, body: #"{"channel":"C0B","text":"t"}"#)
            #expect(FakeJSON.parse(Array(a.body.utf8))?["error"]?.string == "not_in_channel")
            #expect(FakeJSON.parse(Array(b.body.utf8))?["error"]?.string == "is_archived")
        }
    }

    @Test("an update in another channel than the message's is message_not_found")
    func updateOtherChannel() async throws {
        try await FakeSlack.with(FakeSlack(channels: ["C0A", "C0B"])) { fake, baseURL in
            let headers = [("Authorization", "Bearer \(fake.token)"), ("Content-Type", "application/json; charset=utf-8")]
            let posted = try await T.post("\(baseURL)/chat.postMessage", headers: headers, body: #"{"channel":"C0A","text":"t"}"#)
            let ts = try #require(FakeJSON.parse(Array(posted.body.utf8))?["ts"]?.string)
            let update = try await T.post("\(baseURL)/chat.update", headers: headers, body: #"{"channel":"C0B","ts":""# + ts + #"","text":"u"}"#)
            #expect(FakeJSON.parse(Array(update.body.utf8))?["error"]?.string == "message_not_found")
        }
    }

    @Test("accepted: increasing ts, and JSON without a charset passes with Slack's missing_charset warning")
    func accepted() async throws {
        try await FakeSlack.with(FakeSlack(epoch: 1_700_000_000)) { fake, baseURL in
            let auth = ("Authorization", "Bearer \(fake.token)")
            let first = try await T.post("\(baseURL)/chat.postMessage", headers: [auth, ("Content-Type", "application/json")],
                                         body: #"{"channel":"C0RESPONDER","text":"t"}"#)
            let second = try await T.post("\(baseURL)/chat.postMessage", headers: [auth, ("Content-Type", "application/json; charset=utf-8")],
                                          body: #"{"channel":"C0RESPONDER","text":"t"}"#)
            #expect(first.body == #"{"ok":true,"channel":"C0RESPONDER","ts":"1700000000.000100","warning":"missing_charset"}"#)
            #expect(second.body == #"{"ok":true,"channel":"C0RESPONDER","ts":"1700000000.000200"}"#)
        }
    }

    @Test("programmed failures: 429 with Retry-After for the next K calls, then 500, then normal again")
    func programmedFailures() async throws {
        try await FakeSlack.with { fake, baseURL in
            fake.rateLimitNext(2, retryAfter: 9)
            fake.failNext(1)
            let headers = [("Authorization", "Bearer \(fake.token)"), ("Content-Type", "application/json; charset=utf-8")]
            var seen: [String] = []
            for _ in 0..<4 {
                let answer = try await T.post("\(baseURL)/chat.postMessage", headers: headers, body: #"{"channel":"C0RESPONDER","text":"t"}"#)
                seen.append("\(answer.status) \(answer.retryAfter ?? "-")")
            }
            #expect(seen == ["429 9", "429 9", "500 -", "200 -"])
        }
    }

    struct WebhookRefusal: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String? = nil
        var contentType = "application/json"
        var body: String
        var status: Int
        var text: String
        var testDescription: String { name }
    }

    static let webhookRefusals: [WebhookRefusal] = [
        WebhookRefusal(name: "wrong secret", path: "/webhook/T0/B0/nope", body: #"{"text":"t"}"#, status: 404, text: "no_service"),
        WebhookRefusal(name: "not JSON", body: "text=t", status: 400, text: "invalid_payload"),
        WebhookRefusal(name: "form content type", contentType: "application/x-www-form-urlencoded", body: #"{"text":"t"}"#, status: 400, text: "invalid_payload"),
        WebhookRefusal(name: "no text or blocks", body: #"{"text":""}"#, status: 400, text: "missing_text_or_fallback_or_attachments"),
        WebhookRefusal(name: "invalid blocks", body: #"{"text":"t","blocks":[{"type":"header","text":{"type":"mrkdwn","text":"x"}}]}"#, status: 400, text: "invalid_blocks"),
    ]

    @Test("a refused incoming-webhook post answers its HTTP status and short text", arguments: webhookRefusals)
    func webhookRefusal(_ refusal: WebhookRefusal) async throws {
        try await FakeSlack.with { fake, _ in
            let url = refusal.path.map { fake.webhookURL.replacingOccurrences(of: "/webhook/\(fake.webhookSecret)", with: $0) } ?? fake.webhookURL
            let answer = try await T.post(url, headers: [("Content-Type", refusal.contentType)], body: refusal.body)
            #expect(answer.status == refusal.status)
            #expect(answer.body == refusal.text)
            #expect(fake.messages.isEmpty)
        }
    }

    @Test("an archived webhook channel is 410 channel_is_archived; a good post is 200 ok")
    func webhookArchived() async throws {
        try await FakeSlack.with { fake, _ in
            let ok = try await T.post(fake.webhookURL, headers: [("Content-Type", "application/json")], body: #"{"text":"t"}"#)
            #expect(ok.status == 200 && ok.body == "ok")
            fake.archiveWebhookChannel()
            let gone = try await T.post(fake.webhookURL, headers: [("Content-Type", "application/json")], body: #"{"text":"t"}"#)
            #expect(gone.status == 410 && gone.body == "channel_is_archived")
        }
    }
}
