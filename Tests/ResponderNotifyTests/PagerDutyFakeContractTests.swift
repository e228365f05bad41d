import Foundation
import ResponderTestSupport
import Testing

@Suite("FakePagerDuty refuses what the real Events API v2 refuses")
struct PagerDutyFakeContractTests {
    typealias T = SlackTestRuns
    static let key = FakePagerDuty().routingKey

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var path = "/v2/enqueue"
        var contentType = "application/json"
        var body: String
        var error: String
        var testDescription: String { name }
    }

    static func trigger(_ payload: String, key: String = key) -> String {
        #"{"routing_key":""# + key + #"","event_action":"trigger","dedup_key":"d","payload":"# + payload + "}"
    }

    static let refusals: [Refusal] = [
        Refusal(name: "not JSON content type", contentType: "text/plain", body: trigger(#"{"summary":"s","source":"r","severity":"info"}"#),
                error: "Content-Type must be application/json"),
        Refusal(name: "malformed JSON", body: "{", error: "Malformed JSON"),
        Refusal(name: "no routing key", body: #"{"event_action":"resolve","dedup_key":"d"}"#, error: "'routing_key' is missing or blank"),
        Refusal(name: "routing key not 32 characters", body: trigger(#"{"summary":"s","source":"r","severity":"info"}"#, key: "short"),
                error: "Length of 'routing_key' is incorrect (should be 32 characters)"),
        Refusal(name: "routing key of no integration", body: trigger(#"{"summary":"s","source":"r","severity":"info"}"#, key: String(repeating: "z", count: 32)),
                error: "Invalid routing key"),
        Refusal(name: "unknown event_action", body: #"{"routing_key":""# + key + #"","event_action":"snooze","dedup_key":"d"}"#,
                error: "'event_action' is missing or invalid (must be trigger, acknowledge or resolve)"),
        Refusal(name: "acknowledge without dedup_key", body: #"{"routing_key":""# + key + #"","event_action":"acknowledge"}"#,
                error: "'dedup_key' is missing or blank"),
        Refusal(name: "resolve without dedup_key", body: #"{"routing_key":""# + key + #"","event_action":"resolve","dedup_key":""}"#,
                error: "'dedup_key' is missing or blank"),
        Refusal(name: "dedup_key over 255", body: #"{"routing_key":""# + key + #"","event_action":"resolve","dedup_key":""# + String(repeating: "d", count: 256) + #""}"#,
                error: "'dedup_key' is too long (at most 255 characters)"),
        Refusal(name: "trigger without payload", body: #"{"routing_key":""# + key + #"","event_action":"trigger","dedup_key":"d"}"#,
                error: "'payload' is missing or not an object"),
        Refusal(name: "trigger without summary", body: trigger(#"{"source":"r","severity":"info"}"#), error: "'payload.summary' is missing or blank"),
        Refusal(name: "summary over 1024", body: trigger(#"{"summary":""# + String(repeating: "s", count: 1025) + #"","source":"r","severity":"info"}"#),
                error: "'payload.summary' is too long (at most 1024 characters)"),
        Refusal(name: "trigger without source", body: trigger(#"{"summary":"s","severity":"info"}"#), error: "'payload.source' is missing or blank"),
        Refusal(name: "severity not critical/error/warning/info", body: trigger(#"{"summary":"s","source":"r","severity":"high"}"#),
                error: "'payload.severity' is missing or invalid (must be critical, error, warning or info)"),
        Refusal(name: "change event without summary", path: "/v2/change/enqueue", body: #"{"routing_key":""# + key + #"","payload":{"source":"r"}}"#,
                error: "'payload.summary' is missing or blank"),
        Refusal(name: "change event with a bad routing key", path: "/v2/change/enqueue", body: #"{"routing_key":"x","payload":{"summary":"s"}}"#,
                error: "Length of 'routing_key' is incorrect (should be 32 characters)"),
    ]

    @Test("a refused event answers 400 invalid event with the reason in errors", arguments: refusals)
    func refusal(_ refusal: Refusal) async throws {
        try await FakePagerDuty.with { fake, baseURL in
            let answer = try await T.post(baseURL + refusal.path, headers: [("Content-Type", refusal.contentType)], body: refusal.body)
            #expect(answer.status == 400)
            let json = try #require(FakeJSON.parse(Array(answer.body.utf8)))
            #expect(json["status"]?.string == "invalid event")
            #expect(json["message"]?.string == "Event object is invalid")
            #expect(json["errors"]?.array?.contains(.string(refusal.error)) == true, "\(answer.body)")
            #expect(fake.events.isEmpty && fake.changes.isEmpty)
        }
    }

    @Test("accepted: 202 success with the dedup key (generated when a trigger has none); change events 202")
    func accepted() async throws {
        try await FakePagerDuty.with { fake, baseURL in
            let headers = [("Content-Type", "application/json")]
            let keyed = try await T.post(baseURL + "/v2/enqueue", headers: headers, body: Self.trigger(#"{"summary":"s","source":"r","severity":"info"}"#))
            #expect(keyed.status == 202 && keyed.body == #"{"status":"success","message":"Event processed","dedup_key":"d"}"#)
            let unkeyed = try await T.post(baseURL + "/v2/enqueue", headers: headers,
                                           body: #"{"routing_key":""# + Self.key + #"","event_action":"trigger","payload":{"summary":"s","source":"r","severity":"error"}}"#)
            #expect(FakeJSON.parse(Array(unkeyed.body.utf8))?["dedup_key"]?.string?.count == 32)
            let change = try await T.post(baseURL + "/v2/change/enqueue", headers: headers,
                                          body: #"{"routing_key":""# + Self.key + #"","payload":{"summary":"deployed"}}"#)
            #expect(change.status == 202)
            #expect(fake.events.count == 2 && fake.changes.count == 1)
        }
    }

    @Test("programmed failures: 429 with and without Retry-After, 500, then normal")
    func programmedFailures() async throws {
        try await FakePagerDuty.with { fake, baseURL in
            fake.rateLimitNext(1, retryAfter: 4)
            fake.rateLimitNext(1, retryAfter: nil)
            fake.failNext(1, status: 502)
            var seen: [String] = []
            for _ in 0..<4 {
                let answer = try await T.post(baseURL + "/v2/enqueue", headers: [("Content-Type", "application/json")],
                                              body: Self.trigger(#"{"summary":"s","source":"r","severity":"info"}"#))
                seen.append("\(answer.status) \(answer.retryAfter ?? "-")")
            }
            #expect(seen == ["429 4", "429 -", "502 -", "202 -"])
        }
    }
}
