// A LOCAL FAKE of PagerDuty's Events API v2, not the real service: it enforces the contract documented at
// https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ and
// https://developer.pagerduty.com/docs/events-api-v2/send-change-events/ (routing_key of 32 characters,
// event_action trigger/acknowledge/resolve, dedup_key required for acknowledge/resolve and at most 255 characters,
// payload.summary (≤ 1024)/source/severity required on trigger, severity critical/error/warning/info; 202
// `{"status":"success",...}`, 400 `{"status":"invalid event","message":"Event object is invalid","errors":[...]}`),
// so clients are tested against what the real API refuses. No real PagerDuty can be reached here.
import Foundation
import NIOConcurrencyHelpers

/// A local fake PagerDuty Events API v2 (`/v2/enqueue`, `/v2/change/enqueue`) that refuses what the real one
/// refuses, records accepted events in order, tracks each dedup key's alert, and fails on demand.
public final class FakePagerDuty: Sendable {
    /// One request as the fake saw it.
    public struct Call: Sendable, Equatable {
        /// `/v2/enqueue` or `/v2/change/enqueue`.
        public var path: String
        /// The parsed body, when it was JSON.
        public var json: FakeJSON?
        /// HTTP status answered.
        public var status: Int
        /// The `errors` answered with a 400.
        public var errors: [String]

        /// `event_action`.
        public var eventAction: String? { json?["event_action"]?.string }
        /// `dedup_key` (as sent).
        public var dedupKey: String? { json?["dedup_key"]?.string }
        /// True when answered 202.
        public var accepted: Bool { status == 202 }
    }

    /// Where an alert stands.
    public enum AlertState: String, Sendable, Equatable {
        /// Open.
        case triggered
        /// Acknowledged.
        case acknowledged
        /// Resolved.
        case resolved
    }

    /// A failure programmed for the next calls.
    public enum Failure: Sendable, Equatable {
        /// HTTP 429, with `Retry-After` when given.
        case rateLimited(retryAfter: String?)
        /// That HTTP status (5xx).
        case serverError(status: Int)
    }

    /// Everything the fake remembers, behind one lock.
    struct State: Sendable {
        /// Every call, oldest first.
        var calls: [Call] = []
        /// Alerts by dedup key.
        var alerts: [String: AlertState] = [:]
        /// Programmed failures, next first.
        var failures: [Failure] = []
        /// Dedup keys generated so far.
        var generated = 0
        /// The listening port.
        var port = 0
    }

    /// The integration key the fake routes (32 characters).
    public let routingKey: String
    /// The fake's state.
    let state = NIOLockedValueBox(State())

    /// A fake for the integration `routingKey`.
    public init(routingKey: String = "R0UT1NGKEY0123456789ABCDEFGHIJKL") {
        self.routingKey = routingKey
    }

    /// Starts a fake on 127.0.0.1, runs `body` with it and its base URL (`http://127.0.0.1:PORT`), then stops it.
    public static func with<T: Sendable>(
        _ fake: FakePagerDuty = FakePagerDuty(), _ body: @Sendable (FakePagerDuty, String) async throws -> T
    ) async throws -> T {
        try await FakeServiceHost.run(label: "fake-pagerduty", handle: { fake.handle($0) }) { port in
            fake.state.withLockedValue { $0.port = port }
            return try await body(fake, fake.baseURL)
        }
    }

    /// `http://127.0.0.1:PORT` while running.
    public var baseURL: String { "http://127.0.0.1:\(state.withLockedValue { $0.port })" }
    /// Every request, oldest first, refused ones included.
    public var calls: [Call] { state.withLockedValue { $0.calls } }
    /// Accepted alert events (`/v2/enqueue`), oldest first.
    public var events: [Call] { calls.filter { $0.accepted && $0.path == "/v2/enqueue" } }
    /// Accepted change events, oldest first.
    public var changes: [Call] { calls.filter { $0.accepted && $0.path == "/v2/change/enqueue" } }

    /// The alert of `dedupKey`, if one was triggered.
    public func alert(_ dedupKey: String) -> AlertState? { state.withLockedValue { $0.alerts[dedupKey] } }

    /// The next `count` calls answer 429 (with `Retry-After: retryAfter` seconds when given).
    public func rateLimitNext(_ count: Int = 1, retryAfter: Int? = 1) {
        rateLimitNext(count, retryAfterHeader: retryAfter.map { "\($0)" })
    }

    /// The next `count` calls answer 429 with exactly this `Retry-After` header text (none when nil).
    public func rateLimitNext(_ count: Int = 1, retryAfterHeader: String?) {
        state.withLockedValue { $0.failures += Array(repeating: .rateLimited(retryAfter: retryAfterHeader), count: count) }
    }

    /// The next `count` calls answer HTTP `status` (500 by default).
    public func failNext(_ count: Int = 1, status: Int = 500) {
        state.withLockedValue { $0.failures += Array(repeating: .serverError(status: status), count: count) }
    }
}
