import AsyncHTTPClient
import Foundation
import ResponderCore
import ResponderNotify
import ResponderNotifyHTTP
import ResponderTestSupport
import Testing

@Suite("SlackWebhookClient: incoming webhooks against the local fake Slack")
struct SlackWebhookClientTests {
    @Test("the webhook variant of a run message is accepted and lands with its links as mrkdwn")
    func postsRunMessage() async throws {
        try await FakeSlack.with { fake, _ in
            let client = SlackWebhookClient(url: fake.webhookURL, httpClient: .shared, timeout: .seconds(5))
            let message = SlackRunMessage.renderForWebhook(run: SlackTestRuns.run(), links: SlackTestRuns.links(),
                                                           now: SlackTestRuns.start)
            try await client.post(message)
            let call = try #require(fake.calls.last)
            #expect(call.method == "webhook" && call.accepted)
            #expect(call.json?["text"]?.string == message.text)
            #expect(fake.messages.count == 1)
        }
    }

    @Test("429 with Retry-After and 500 are retryable")
    func retryable() async throws {
        try await FakeSlack.with { fake, _ in
            let client = SlackWebhookClient(url: fake.webhookURL, httpClient: .shared, timeout: .seconds(5))
            fake.rateLimitNext(1, retryAfter: 30)
            fake.failNext(1, status: 503)
            await #expect(throws: NotifyError.retryable("the Slack webhook answered HTTP 429 (rate limited)", retryAfter: .seconds(30))) {
                try await client.post(text: "hello")
            }
            let error = await SlackTestRuns.failure { () async throws(NotifyError) in try await client.post(text: "hello") }
            let retry = try #require(SlackTestRuns.retryable(error))
            #expect(retry.after == nil && retry.message.contains("503"))
            try await client.post(text: "hello")
        }
    }

    @Test("a removed webhook (404 no_service) and an archived channel (410) are permanent and never show the URL")
    func permanent() async throws {
        try await FakeSlack.with { fake, _ in
            let wrong = fake.webhookURL + "x"
            let removed = SlackWebhookClient(url: wrong, httpClient: .shared)
            let error = await SlackTestRuns.failure { () async throws(NotifyError) in try await removed.post(text: "hello") }
            let message = try #require(SlackTestRuns.permanentMessage(error))
            #expect(message.contains("no_service") && message.contains("create a new incoming webhook"))
            #expect(!message.contains(fake.webhookSecret))
            fake.archiveWebhookChannel()
            let client = SlackWebhookClient(url: fake.webhookURL, httpClient: .shared)
            let archived = try #require(SlackTestRuns.permanentMessage(await SlackTestRuns.failure { () async throws(NotifyError) in try await client.post(text: "hello") }))
            #expect(archived.contains("HTTP 410 channel_is_archived"))
            #expect(!archived.contains(fake.webhookSecret))
            #expect(!"\(client)".contains(fake.webhookSecret) && !String(reflecting: client).contains(fake.webhookSecret))
        }
    }
}
