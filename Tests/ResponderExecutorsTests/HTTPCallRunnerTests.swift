import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ResponderCore
import ResponderExecutors
import ServiceLifecycle
import ResponderTestSupport
import Testing

@Suite("HTTP call executor against a local endpoint")
struct HTTPCallRunnerTests {
    struct Seen: Sendable {
        var method: String
        var path: String
        var query: String
        var header: String?
        var body: String
    }

    /// Serves `status` on 127.0.0.1 for the duration of `body`, recording every request.
    static func withEndpoint(status: HTTPResponse.Status, _ body: @Sendable (Int, NIOLockedValueBox<[Seen]>) async throws -> Void) async throws {
        let seen = NIOLockedValueBox<[Seen]>([])
        let router = Router()
        router.on("**", method: .post) { request, _ -> Response in
            var request = request
            let text = String(buffer: try await request.collectBody(upTo: 1 << 16))
            seen.withLockedValue {
                $0.append(Seen(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                               header: request.headers[.init("X-Alert")!], body: text))
            }
            return Response(status: status)
        }
        try await LoopbackRouter.serve(router, label: "endpoint") { port in try await body(port, seen) }
    }

    static let alert = NormalizedAlert(
        source: .alertmanager, fingerprint: "00aa", status: .firing,
        labels: ["alertname": "TrafficSpike", "service": "api gateway"], annotations: ["summary": "x"],
        startsAt: nil, endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil, idempotencyKey: "k"
    )

    static func call(_ port: Int, expect: [Int] = [200, 204]) -> Action.HTTPCall {
        Action.HTTPCall(
            method: "post", url: "http://127.0.0.1:\(port)/admin/cache/warm-up?for=${labels.alertname}",
            headers: ["X-Alert": "${labels.alertname}"],
            json: .object([JSONMember(key: "service", value: .string("${labels.service}"))]),
            timeout: .seconds(5), expectStatus: expect
        )
    }

    /// The request the live executor sends for `call`.
    static func prepared(_ call: Action.HTTPCall) throws -> PreparedHTTPRequest {
        try HTTPRequestRenderer.render(call, values: TemplateValues(AlertTemplate(alert: alert, playbook: "p")))
    }

    @Test("the rendered request is sent once and an expected status is success", arguments: [200, 204])
    func success(_ code: Int) async throws {
        try await Self.withEndpoint(status: .init(code: code)) { port, seen in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let result = await HTTPCallRunner(client: client).run(try Self.prepared(Self.call(port)))
            try await client.shutdown()
            guard case .success(let detail, _) = result else {
                Issue.record("expected success, got \(result)")
                return
            }
            #expect(detail == "POST http://127.0.0.1:\(port)/admin/cache/warm-up: HTTP \(code)", "the query is not shown")
            let requests = seen.withLockedValue { $0 }
            #expect(requests.count == 1)
            #expect(requests.first?.path == "/admin/cache/warm-up")
            #expect(requests.first?.query == "for=TrafficSpike")
            #expect(requests.first?.header == "TrafficSpike")
            #expect(requests.first?.body == #"{"service":"api gateway"}"#)
        }
    }

    @Test("throttling and server errors are retryable; other unexpected statuses are permanent", arguments: [
        (429, true), (503, true), (500, true), (404, false), (400, false), (401, false),
    ])
    func classification(_ code: Int, _ retryable: Bool) async throws {
        try await Self.withEndpoint(status: .init(code: code)) { port, _ in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let result = await HTTPCallRunner(client: client).run(try Self.prepared(Self.call(port)))
            try await client.shutdown()
            switch result {
            case .retryable(let message): #expect(retryable, "\(message)")
            case .permanent(let message):
                #expect(!retryable, "\(message)")
                #expect(message.contains("expected 200, 204"))
            case .success: Issue.record("HTTP \(code) is not a success")
            case .waiting(let wait): Issue.record("an HTTP call has no load checks to wait on: \(wait.reason)")
            }
        }
    }

    @Test("a refused connection is retryable once the call's timeout runs out")
    func unreachable() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var call = Self.call(1)
        // AsyncHTTPClient keeps retrying the connection until the deadline; the call's timeout bounds it.
        call.timeout = .milliseconds(300)
        let result = await HTTPCallRunner(client: client).run(try Self.prepared(call))
        try await client.shutdown()
        guard case .retryable = result else {
            Issue.record("expected retryable, got \(result)")
            return
        }
    }
}
