import AsyncHTTPClient
import Foundation
import ResponderCore
import ResponderNotify
import ResponderNotifyHTTP
import ResponderTestSupport
import Testing

@Suite("SlackClient: chat.postMessage and chat.update against the local fake Slack")
struct SlackClientTests {
    static func client(_ fake: FakeSlack, _ baseURL: String, token: String? = nil) -> SlackClient {
        SlackClient(token: token ?? fake.token, httpClient: .shared, baseURL: baseURL, timeout: .seconds(5))
    }

    @Test("post, update, then a thread reply: channel and ts come back and the fake holds the updated message")
    func postUpdateReply() async throws {
        try await FakeSlack.with(FakeSlack(epoch: 1_700_000_000)) { fake, baseURL in
            let client = Self.client(fake, baseURL)
            let message = SlackRunMessage.render(run: SlackTestRuns.run(), links: SlackTestRuns.links(), now: SlackTestRuns.start)
            let ref = try await client.postMessage(channel: "C0RESPONDER", message: message)
            #expect(ref == SlackMessageRef(channel: "C0RESPONDER", ts: "1700000000.000100"))
            let held = SlackRunMessage.render(run: SlackTestRuns.run(status: .held), links: SlackTestRuns.links(), now: SlackTestRuns.start)
            try await client.update(ref, with: held)
            let reply = try await client.postMessage(channel: ref.channel, text: "held by alice", threadTS: ref.ts)
            #expect(reply.ts == "1700000000.000200")

            #expect(fake.calls.map(\.method) == ["chat.postMessage", "chat.update", "chat.postMessage"])
            #expect(fake.calls.allSatisfy { $0.accepted })
            #expect(fake.calls[2].threadTS == ref.ts)
            let stored = try #require(fake.message(ts: ref.ts))
            #expect(stored.updates == 1)
            #expect(stored.text == held.text)
            #expect(fake.message(ts: reply.ts)?.threadTS == ref.ts)
            // The client turns off unfurling (an unfurl would GET an action link) and mention parsing.
            #expect(fake.calls[0].json?["unfurl_links"] == .bool(false))
            #expect(fake.calls[0].json?["link_names"] == .bool(false))
        }
    }

    @Test("a Retry-After of 20 digits is capped at one hour, not a trap")
    func hugeRetryAfter() async throws {
        try await FakeSlack.with { fake, baseURL in
            fake.rateLimitNext(1, retryAfterHeader: "99999999999999999999")
            let client = Self.client(fake, baseURL)
            await #expect(throws: NotifyError.retryable("Slack chat.postMessage answered HTTP 429 (rate limited)", retryAfter: .seconds(3_600))) {
                _ = try await client.postMessage(channel: "C0RESPONDER", text: "hello")
            }
        }
    }

    @Test("HTTP 429 with Retry-After is retryable after exactly that long, and the next call passes")
    func rateLimited() async throws {
        try await FakeSlack.with { fake, baseURL in
            fake.rateLimitNext(1, retryAfter: 7)
            let client = Self.client(fake, baseURL)
            await #expect(throws: NotifyError.retryable("Slack chat.postMessage answered HTTP 429 (rate limited)", retryAfter: .seconds(7))) {
                _ = try await client.postMessage(channel: "C0RESPONDER", text: "hello")
            }
            _ = try await client.postMessage(channel: "C0RESPONDER", text: "hello")
            #expect(fake.acceptedCalls.count == 1)
        }
    }

    @Test("HTTP 500 is retryable without a delay of its own; `ratelimited` in a 200 is retryable too")
    func serverErrorAndRatelimitedCode() async throws {
        try await FakeSlack.with { fake, baseURL in
            fake.failNext(1, status: 500)
            fake.refuseNext(1, error: "ratelimited")
            let client = Self.client(fake, baseURL)
            for _ in 0..<2 {
                let error = await SlackTestRuns.failure { () async throws(NotifyError) in _ = try await client.postMessage(channel: "C0RESPONDER", text: "hello") }
                #expect(SlackTestRuns.retryable(error) != nil, "\(String(describing: error))")
            }
        }
    }

    @Test("a network failure is retryable and says Slack could not be reached")
    func networkFailure() async throws {
        let client = SlackClient(token: "xoxb-secret-token-123", httpClient: .shared, baseURL: "http://127.0.0.1:1/api",
                                 timeout: .seconds(1))
        let error = await SlackTestRuns.failure { () async throws(NotifyError) in _ = try await client.postMessage(channel: "C0RESPONDER", text: "hello") }
        let message = try #require(SlackTestRuns.retryable(error)?.message)
        #expect(message.contains("could not reach Slack"))
        #expect(!message.contains("xoxb-secret-token-123"))
    }

    @Test("not_authed, invalid_auth and channel_not_found are permanent, say what to do, and never show the token",
          arguments: ["", "xoxb-wrong-token-9999", "channel"])
    func permanent(_ variant: String) async throws {
        try await FakeSlack.with { fake, baseURL in
            let token = variant == "channel" ? fake.token : variant
            let channel = variant == "channel" ? "C0NOPE" : "C0RESPONDER"
            let client = Self.client(fake, baseURL, token: token)
            let error = await SlackTestRuns.failure { () async throws(NotifyError) in _ = try await client.postMessage(channel: channel, text: "hello") }
            let message = try #require(SlackTestRuns.permanentMessage(error))
            switch variant {
            case "": #expect(message.contains("not_authed") && message.contains("slack.bot_token"))
            case "channel": #expect(message.contains("channel_not_found") && message.contains("C0NOPE") && message.contains("invite the bot"))
            default: #expect(message.contains("invalid_auth") && message.contains("Bot User OAuth Token"))
            }
            #expect(!message.contains(fake.token) && (token.isEmpty || !message.contains(token)))
            #expect(!"\(client)".contains(fake.token) && !String(reflecting: client).contains(fake.token))
        }
    }

    @Test("not_in_channel is permanent and says to invite the bot")
    func notInChannel() async throws {
        try await FakeSlack.with { fake, baseURL in
            fake.setNotInChannel("C0RESPONDER")
            let client = Self.client(fake, baseURL)
            let error = await SlackTestRuns.failure { () async throws(NotifyError) in _ = try await client.postMessage(channel: "C0RESPONDER", text: "x") }
            let message = try #require(SlackTestRuns.permanentMessage(error))
            #expect(message.contains("not_in_channel") && message.contains("/invite"))
        }
    }

    @Test("missing_scope quotes the scope Slack says is needed")
    func missingScope() async throws {
        try await FakeSlack.with { fake, baseURL in
            fake.refuseNext(1, error: "missing_scope", needed: "chat:write")
            let client = Self.client(fake, baseURL)
            let error = await SlackTestRuns.failure { () async throws(NotifyError) in _ = try await client.postMessage(channel: "C0RESPONDER", text: "x") }
            let message = try #require(SlackTestRuns.permanentMessage(error))
            #expect(message.contains("missing_scope") && message.contains("chat:write") && message.contains("reinstall"))
        }
    }

    @Test("updating a message the fake never posted is message_not_found, permanent")
    func updateUnknown() async throws {
        try await FakeSlack.with { fake, baseURL in
            let client = Self.client(fake, baseURL)
            let error = await SlackTestRuns.failure { () async throws(NotifyError) in try await client.update(channel: "C0RESPONDER", ts: "1.000001", text: "x") }
            #expect(SlackTestRuns.permanentMessage(error)?.contains("message_not_found") == true)
            #expect(fake.calls.last?.error == "message_not_found")
        }
    }
}
