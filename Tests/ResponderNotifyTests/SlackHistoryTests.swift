import AsyncHTTPClient
import Foundation
import ResponderNotify
import ResponderNotifyHTTP
import ResponderTestSupport
import Testing

/// Finding a run's message by its metadata with `conversations.history`, against the local fake Slack.
@Suite("SlackClient.findMessage: a run's message found again by its metadata")
struct SlackHistoryTests {
    static func client(_ fake: FakeSlack, _ baseURL: String) -> SlackClient {
        SlackClient(token: fake.token, httpClient: .shared, baseURL: baseURL, timeout: .seconds(5))
    }

    @Test("the run's top-level message is found by its metadata; other runs, replies and messages before `since` are not")
    func findsTheRunsMessage() async throws {
        try await FakeSlack.with { fake, baseURL in
            let client = Self.client(fake, baseURL)
            let start = Date(timeIntervalSince1970: TimeInterval(fake.epoch))
            let other = try await client.postMessage(channel: "C0RESPONDER", text: "run a", metadata: .run("run-a"))
            let mine = try await client.postMessage(channel: "C0RESPONDER", text: "run b", metadata: .run("run-b"))
            _ = try await client.postMessage(channel: "C0RESPONDER", text: "reply", threadTS: mine.ts, metadata: .run("run-c"))
            _ = try await client.postMessage(channel: "C0RESPONDER", text: "no metadata")

            #expect(try await client.findMessage(channel: "C0RESPONDER", metadata: .run("run-b"), since: start) == mine)
            #expect(try await client.findMessage(channel: "C0RESPONDER", metadata: .run("run-a"), since: start) == other)
            #expect(try await client.findMessage(channel: "C0RESPONDER", metadata: .run("run-c"), since: start) == nil,
                    "a thread reply is not a run's message")
            #expect(try await client.findMessage(channel: "C0RESPONDER", metadata: .run("run-b"),
                                                 since: start.addingTimeInterval(60)) == nil, "posted before `since`")
            let history = try #require(fake.calls.last { $0.method == "conversations.history" }?.json)
            #expect(history["include_all_metadata"] == .bool(true))
            #expect(history["channel"]?.string == "C0RESPONDER")
            let posted = try #require(fake.calls.first { $0.method == "chat.postMessage" }?.json)
            #expect(posted["metadata"] == .object(["event_type": .string("responder_run"),
                                                   "event_payload": .object(["run_id": .string("run-a")])]))
        }
    }

    @Test("a message 250 messages back is found on the second page; a page limit stops the search")
    func pages() async throws {
        try await FakeSlack.with { fake, baseURL in
            let client = Self.client(fake, baseURL)
            let start = Date(timeIntervalSince1970: TimeInterval(fake.epoch))
            let mine = try await client.postMessage(channel: "C0RESPONDER", text: "run", metadata: .run("run-1"))
            for index in 0..<250 {
                _ = try await client.postMessage(channel: "C0RESPONDER", text: "chatter \(index)")
            }
            #expect(try await client.findMessage(channel: "C0RESPONDER", metadata: .run("run-1"), since: start) == mine)
            let cursors = fake.calls.filter { $0.method == "conversations.history" }.map { $0.json?["cursor"]?.string }
            #expect(cursors.count == 2 && cursors[0] == nil && cursors[1] != nil, "\(cursors)")
            #expect(try await client.findMessage(channel: "C0RESPONDER", metadata: .run("run-1"), since: start, pages: 1) == nil)
        }
    }

    @Test("without channels:history the search is refused for good, naming the scope; Slack's trouble is retryable")
    func refusals() async throws {
        try await FakeSlack.with { fake, baseURL in
            let client = Self.client(fake, baseURL)
            fake.failNext(1, status: 503)
            let busy = await SlackTestRuns.failure { () async throws(NotifyError) in
                _ = try await client.findMessage(channel: "C0RESPONDER", metadata: .run("run-1"), since: Date())
            }
            if case .retryable = busy {} else { Issue.record("503 should be retryable: \(String(describing: busy))") }
            fake.withoutHistoryScope()
            let refused = await SlackTestRuns.failure { () async throws(NotifyError) in
                _ = try await client.findMessage(channel: "C0RESPONDER", metadata: .run("run-1"), since: Date())
            }
            let message = try #require(SlackTestRuns.permanentMessage(refused))
            #expect(message.contains("channels:history"), "\(message)")
            #expect(!message.contains(fake.token))
        }
    }
}
