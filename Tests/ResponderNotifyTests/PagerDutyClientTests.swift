import AsyncHTTPClient
import Foundation
import ResponderCore
import ResponderNotify
import ResponderNotifyHTTP
import ResponderTestSupport
import Testing

@Suite("PagerDutyClient: Events API v2 against the local fake PagerDuty")
struct PagerDutyClientTests {
    typealias T = SlackTestRuns

    static func client(_ fake: FakePagerDuty, _ baseURL: String, key: String? = nil) -> PagerDutyClient {
        PagerDutyClient(routingKey: key ?? fake.routingKey, httpClient: .shared, baseURL: baseURL, timeout: .seconds(5))
    }

    @Test("trigger, acknowledge and resolve share one dedup key; the alert goes triggered → acknowledged → resolved")
    func lifecycle() async throws {
        try await FakePagerDuty.with { fake, baseURL in
            let client = Self.client(fake, baseURL)
            let run = T.run()
            let key = try await client.send(.trigger(run: run, dedupKey: "responder-run-7", now: T.start))
            #expect(key == "responder-run-7")
            #expect(fake.alert(key) == .triggered)
            try await client.send(.acknowledge(dedupKey: key))
            #expect(fake.alert(key) == .acknowledged)
            try await client.send(.resolve(dedupKey: key))
            #expect(fake.alert(key) == .resolved)

            let events = fake.events
            #expect(events.map(\.eventAction) == ["trigger", "acknowledge", "resolve"])
            #expect(Set(events.map(\.dedupKey)) == ["responder-run-7"])
            let trigger = try #require(events.first?.json)
            #expect(trigger["routing_key"]?.string == fake.routingKey)
            #expect(trigger["payload"]?["summary"]?.string == "Responder worker-queue-depth-high: QueueDepthHigh — active")
            #expect(trigger["payload"]?["source"]?.string == "responder")
            #expect(trigger["payload"]?["severity"]?.string == "critical")
            #expect(trigger["payload"]?["custom_details"]?["targets"]?.string == "worker")
            // Acknowledge and resolve carry only the key: no payload.
            #expect(events[1].json?["payload"] == nil && events[2].json?["payload"] == nil)
        }
    }

    @Test("a change event goes to /v2/change/enqueue with summary, timestamp, source and details")
    func changeEvent() async throws {
        try await FakePagerDuty.with { fake, baseURL in
            let change = PagerDutyChangeEvent.step(run: T.run(), text: "step 0: replicas 9", now: T.start,
                                                   links: [PagerDutyLink(href: "https://responder.example/runs/run-7", text: "run-7")])
            try await Self.client(fake, baseURL).sendChange(change)
            let json = try #require(fake.changes.first?.json)
            #expect(json["payload"]?["summary"]?.string == "Responder worker-queue-depth-high (QueueDepthHigh): step 0: replicas 9")
            #expect(json["payload"]?["timestamp"]?.string == RFC3339.format(T.start))
            #expect(json["payload"]?["custom_details"]?["run_id"]?.string == "run-7")
            #expect(json["links"]?[0]?["href"]?.string == "https://responder.example/runs/run-7")
        }
    }

    @Test("400 is permanent and quotes PagerDuty's message and errors, never the routing key")
    func invalidEvent() async throws {
        try await FakePagerDuty.with { fake, baseURL in
            let shortKey = "short-routing-key-secret"
            let client = Self.client(fake, baseURL, key: shortKey)
            let error = await T.failure { () async throws(NotifyError) in try await client.send(.resolve(dedupKey: "k")) }
            let message = try #require(T.permanentMessage(error))
            #expect(message.contains("Event object is invalid"))
            #expect(message.contains("Length of 'routing_key' is incorrect (should be 32 characters)"))
            #expect(message.contains("pagerduty.routing_key"))
            #expect(!message.contains(shortKey))
            #expect(!"\(client)".contains(shortKey) && !String(reflecting: client).contains(shortKey))
        }
    }

    @Test("429 (with Retry-After when given) and 500 are retryable; then the event passes")
    func retryable() async throws {
        try await FakePagerDuty.with { fake, baseURL in
            let client = Self.client(fake, baseURL)
            fake.rateLimitNext(1, retryAfter: 12)
            fake.rateLimitNext(1, retryAfter: nil)
            fake.failNext(1, status: 500)
            let event = PagerDutyEvent.trigger(run: T.run(), dedupKey: "responder-run-7", now: T.start)
            var delays: [Duration?] = []
            for _ in 0..<3 {
                let error = await T.failure { () async throws(NotifyError) in try await client.send(event) }
                let retry = try #require(T.retryable(error))
                #expect(!retry.message.contains(fake.routingKey))
                delays.append(retry.after)
            }
            #expect(delays == [.seconds(12), nil, nil])
            try await client.send(event)
            #expect(fake.events.count == 1)
        }
    }

    @Test("Retry-After over a real socket: delay-seconds up to an hour, larger capped, garbage and negatives ignored")
    func retryAfterRange() async throws {
        let headers: [(String, Duration?)] = [
            ("0", .zero), ("3600", .seconds(3_600)), ("3601", .seconds(3_600)), ("99999999999999999999", .seconds(3_600)),
            ("-5", nil), ("1.5", nil), ("1e400", nil), ("soon", nil), ("Wed, 21 Oct 2015 07:28:00 GMT", .zero),
        ]
        try await FakePagerDuty.with { fake, baseURL in
            let client = Self.client(fake, baseURL)
            for (header, _) in headers { fake.rateLimitNext(1, retryAfterHeader: header) }
            var delays: [Duration?] = []
            for _ in headers {
                let error = await T.failure { () async throws(NotifyError) in try await client.send(.resolve(dedupKey: "k")) }
                delays.append(try #require(T.retryable(error)).after)
            }
            #expect(delays == headers.map { $0.1 }, "\(zip(headers.map { $0.0 }, delays).map { "\($0): \(String(describing: $1))" })")
        }
    }

    @Test("PagerDuty unreachable is retryable")
    func unreachable() async throws {
        let client = PagerDutyClient(routingKey: String(repeating: "k", count: 32), httpClient: .shared,
                                     baseURL: "http://127.0.0.1:1", timeout: .seconds(1))
        let error = await T.failure { () async throws(NotifyError) in try await client.send(.resolve(dedupKey: "k")) }
        #expect(T.retryable(error)?.message.contains("could not reach PagerDuty") == true)
    }
}
