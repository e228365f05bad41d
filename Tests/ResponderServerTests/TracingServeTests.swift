import Foundation
import NIOHTTP1
import ResponderTestSupport
import Testing

/// OpenTelemetry tracing through the real `responder serve`: a local OTLP/HTTP receiver takes the spans, an Alertmanager
/// delivery carries the sender's `traceparent`, and the playbook's steps run a command target and call an HTTP
/// endpoint, and the run is told in a fake Slack. The spans must continue the sender's trace with the right parents, the HTTP action must carry the trace
/// on, and with no `OTEL_*` variable set nothing may be exported or sent.
@Suite("tracing through serve: spans to a local OTLP receiver", .serialized, .timeLimit(.minutes(2)))
struct TracingServeTests {
    /// The sender's trace.
    static let senderTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    /// The sender's span, the delivery's parent.
    static let senderSpan = "00f067aa0ba902b7"

    /// A command-pair target `worker` scaled to 6, then an HTTP call to the test's endpoint.
    static func playbook(_ target: CommandPairTarget, endpoint: Int) -> String {
        """
        targets:
        \(target.yaml)
        playbooks:
          - name: traced-scale
            kind: emergency-scale
            match: {matchers: ['alertname="HighQueueDepth"']}
            actions:
              - scale: {target: worker, to: 6}
              - http: {method: POST, url: "http://127.0.0.1:\(endpoint)/warm"}
        """
    }

    /// Runs `serve` on a playbook calling a fake endpoint, with `environment`; posts the fixture alert with the sender's
    /// `traceparent`, waits for the HTTP action's call, then hands the server, the endpoint and the folders to `check`.
    static func withServe(environment: [String: String],
                          _ check: @Sendable (LiveResponder, FakeHTTPEndpoint, FakeSlack) async throws -> Void) async throws {
        let folders = try ServeFolders("tracing")
        defer { folders.remove() }
        let target = try CommandPairTarget(folder: folders.temporary.path)
        let endpoint = FakeHTTPEndpoint()
        try await FakeSlack.with { slack, _ in try await endpoint.run { port in
            try playbook(target, endpoint: port).write(toFile: folders.playbooks + "/traced.yaml", atomically: true, encoding: .utf8)
            _ = try slack.writeServeConfiguration(in: folders.temporary.path)
            let slackEnvironment = [
                "RESPONDER_SLACK_BOT_TOKEN_FILE": folders.temporary.path + "/slack-bot-token",
                "RESPONDER_SLACK_CHANNEL": "C0RESPONDER", "RESPONDER_SLACK_API_URL": slack.baseURL,
            ]
            let server = try await LiveResponder.start(folders, environment: environment.merging(slackEnvironment) { $1 })
            do {
                let body = String(decoding: try Fixture.bytes("v4_firing_minimal.json"), as: UTF8.self)
                let (status, answer) = try await server.postAlertmanager(
                    body: body, headers: [("traceparent", "00-\(senderTrace)-\(senderSpan)-01"), ("tracestate", "vendor=1")])
                #expect(status == 200, "\(answer)")
                try await server.eventually("the HTTP action's call") { endpoint.recorded.first }
                try await server.eventually("the run's Slack message") { slack.acceptedCalls.first }
                #expect(target.replicas == "6")
                try await check(server, endpoint, slack)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        } }
    }

    @Test("the delivery continues the sender's trace; engine, step and backend spans are its descendants; the HTTP action carries the trace")
    func spansAndParents() async throws {
        let receiver = OTLPReceiver()
        try await receiver.run { otlp in
            let environment = [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(otlp)",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
                "OTEL_SERVICE_NAME": "responder-test",
                "OTEL_BSP_SCHEDULE_DELAY": "100",
            ]
            try await Self.withServe(environment: environment) { server, endpoint, slack in
                #expect(server.process.stdout.contains("Tracing: OTLP/HTTP (http/json) to http://127.0.0.1:\(otlp) as service responder-test"))
                // Only the tracer is bootstrapped: the log stays JSON lines, the metrics stay on /metrics.
                #expect(server.process.stdout.contains(#""msg":"alertmanager delivery recorded""#))
                let metrics = try await server.admin(.GET, "/metrics")
                #expect(metrics.status == 200 && metrics.body.contains("responder_deliveries_total{"), "\(metrics.body.prefix(300))")
                // The scale and the HTTP call are two steps: both spans, and the HTTP action's client span, must arrive.
                let spans = try await server.eventually("the spans of both steps and the HTTP action", limit: .seconds(15)) {
                    () -> [OTLPReceiver.Span]? in
                    let spans = receiver.spans
                    let steps = spans.filter { $0.name == "step" }.count
                    let named = Set(spans.map(\.name))
                    return steps >= 2 && named.isSuperset(of: ["http action POST", "notify slack", "slack POST"]) ? spans : nil
                }
                #expect(receiver.paths.allSatisfy { $0 == "/v1/traces" }, "\(receiver.paths)")
                let byID = Dictionary(spans.map { ($0.spanID, $0) }, uniquingKeysWith: { first, _ in first })
                let all = spans.map(\.description).joined(separator: "\n")

                let delivery = try #require(spans.first { $0.name == "POST /hooks/alertmanager" }, "\(all)")
                #expect(delivery.traceID == Self.senderTrace)
                #expect(delivery.parentSpanID == Self.senderSpan)
                #expect(delivery.kind == 2, "a server span")
                #expect(delivery.attributes["http.response.status_code"] == "200")
                #expect(delivery.attributes["responder.alert.names"] == "HighQueueDepth")
                for phase in ["alertmanager authenticate", "alertmanager decode", "alertmanager journal"] {
                    let span = try #require(spans.first { $0.name == phase }, "\(phase) missing:\n\(all)")
                    #expect(span.parentSpanID == delivery.spanID, "\(phase)")
                }

                let engine = try #require(spans.first { $0.name == "engine alerts" }, "\(all)")
                #expect(engine.traceID == Self.senderTrace && engine.parentSpanID == delivery.spanID)
                #expect(engine.attributes["responder.playbook"] == "traced-scale")
                #expect(engine.attributes["responder.run.id"] == "run-1")

                let steps = spans.filter { $0.name == "step" }
                for step in steps {
                    #expect(step.traceID == Self.senderTrace, "\(step)")
                    let parent = try #require(byID[step.parentSpanID], "parent of \(step)")
                    // The first step is started by the engine's handling of the alert, the next by the first's result.
                    #expect(["engine alerts", "engine step result"].contains(parent.name), "\(step) under \(parent)")
                    if parent.name == "engine step result" {
                        #expect(byID[parent.parentSpanID]?.name == "step", "a step result continues its step: \(parent)")
                    }
                }
                let scale = try #require(steps.first { $0.attributes["responder.step.work"] == "scale" }, "\(all)")
                #expect(scale.parentSpanID == engine.spanID)
                #expect(scale.attributes["responder.target"] == "worker")
                #expect(scale.attributes["responder.run.id"] == "run-1")
                #expect(scale.attributes["responder.step.index"] != nil)
                let commands = spans.filter { $0.name == "command scalectl" && $0.parentSpanID == scale.spanID }
                #expect(!commands.isEmpty, "the command target's calls are children of the scale step:\n\(all)")

                let http = try #require(steps.first { $0.attributes["responder.step.work"] == "http" }, "\(all)")
                let call = try #require(spans.first { $0.name == "http action POST" }, "\(all)")
                #expect(call.parentSpanID == http.spanID && call.traceID == Self.senderTrace)
                #expect(call.kind == 3, "a client span")
                #expect(call.attributes["http.response.status_code"] == "200")
                #expect(call.attributes["server.address"] == "127.0.0.1")
                #expect(call.attributes["url.path"] == nil, "an HTTP action's path is not recorded")

                let hit = try #require(endpoint.recorded.first)
                #expect(hit.headers["traceparent"] == "00-\(Self.senderTrace)-\(call.spanID)-01",
                        "the endpoint continues the trace from the call's span")
                #expect(hit.headers["tracestate"] == "vendor=1")

                // The outbox's delivery is a trace of its own, linked to the run's trace; Slack gets its call's span.
                let notify = try #require(spans.first { $0.name == "notify slack" }, "\(all)")
                #expect(notify.parentSpanID.isEmpty && notify.traceID != Self.senderTrace)
                #expect(notify.links.contains { $0.traceID == Self.senderTrace && $0.spanID == engine.spanID },
                        "linked to the engine span that started the run: \(notify.links)")
                #expect(notify.attributes["responder.run.id"] == "run-1")
                let post = try #require(spans.first { $0.name == "slack POST" && $0.parentSpanID == notify.spanID }, "\(all)")
                #expect(post.attributes["url.path"] == nil && post.attributes["server.address"] == "127.0.0.1")
                #expect(post.attributes["rpc.method"] == "chat.postMessage")
                let slackCall = try #require(slack.acceptedCalls.first { $0.traceparent?.contains(post.spanID) == true },
                                             "\(slack.calls.map { $0.traceparent ?? "-" })")
                #expect(slackCall.traceparent == "00-\(notify.traceID)-\(post.spanID)-01")

                let token = try String(contentsOfFile: server.folders.state + "/alertmanager-token", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(!spans.contains { $0.attributes.values.contains { $0.contains(token) } }, "no span carries the token")
                #expect(!spans.contains { $0.attributes["url.full"] != nil || $0.attributes["url.query"] != nil },
                        "no full URL or query string is recorded (AsyncHTTPClient's own spans are off)")
            }
        }
    }

    @Test("a ladder step due later is started by a timer pass: a new trace, linked to the run's last delivery trace")
    func timerPassLinks() async throws {
        let receiver = OTLPReceiver()
        let resolveTrace = "0af7651916cd43dd8448eb211c80319c"
        try await receiver.run { otlp in
            let folders = try ServeFolders("tracing-ladder")
            defer { folders.remove() }
            let target = try CommandPairTarget(folder: folders.temporary.path)
            try FastLadder.yaml(levels: [8], target: target.yaml)
                .write(toFile: folders.playbooks + "/ladder.yaml", atomically: true, encoding: .utf8)
            let server = try await LiveResponder.start(folders, environment: [
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:\(otlp)/v1/traces",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_BSP_SCHEDULE_DELAY": "100",
            ])
            do {
                let fire = String(decoding: try Fixture.bytes("v4_firing_minimal.json"), as: UTF8.self)
                let resolve = String(decoding: try Fixture.bytes("v4_resolved_minimal.json"), as: UTF8.self)
                #expect(try await server.postAlertmanager(body: fire, headers: [("traceparent", "00-\(Self.senderTrace)-\(Self.senderSpan)-01")]).status == 200)
                try await server.eventually("the scale to 12") { target.replicas == "12" ? true : nil }
                #expect(try await server.postAlertmanager(body: resolve, headers: [("traceparent", "00-\(resolveTrace)-\(Self.senderSpan)-01")]).status == 200)
                let (tick, step, spans) = try await server.eventually("the ladder step's spans", limit: .seconds(15)) {
                    () -> (OTLPReceiver.Span, OTLPReceiver.Span, [OTLPReceiver.Span])? in
                    let spans = receiver.spans
                    guard let tick = spans.first(where: { $0.name == "engine tick" && $0.attributes["responder.steps.started"] == "1" }),
                          let step = spans.first(where: { $0.name == "step" && $0.parentSpanID == tick.spanID }) else { return nil }
                    return (tick, step, spans)
                }
                #expect(target.replicas == "8")
                let all = spans.map(\.description).joined(separator: "\n")
                #expect(tick.parentSpanID.isEmpty, "a timer pass starts a trace")
                #expect(tick.traceID != Self.senderTrace && tick.traceID != resolveTrace)
                let resolved = try #require(spans.first { $0.name == "engine alerts" && $0.traceID == resolveTrace }, "\(all)")
                #expect(tick.links.contains { $0.traceID == resolveTrace && $0.spanID == resolved.spanID },
                        "linked to the engine span of the run's last delivery: \(tick.links)")
                #expect(tick.attributes["responder.run.id"] == "run-1")
                #expect(step.traceID == tick.traceID && step.attributes["responder.step.replicas"] == "8")
                #expect(spans.contains { $0.name == "command scalectl" && $0.parentSpanID == step.spanID }, "\(all)")
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }

    @Test("after a restart the process remembers no trace: the ladder step's timer pass starts a trace without links")
    func restartForgets() async throws {
        let receiver = OTLPReceiver()
        try await receiver.run { otlp in
            let folders = try ServeFolders("tracing-restart")
            defer { folders.remove() }
            let target = try CommandPairTarget(folder: folders.temporary.path)
            // A 3 s hold leaves time to kill and restart the server between the resolve and the ladder step.
            try FastLadder.yaml(levels: [8], target: target.yaml).replacingOccurrences(of: "hold: 1s", with: "hold: 3s")
                .write(toFile: folders.playbooks + "/ladder.yaml", atomically: true, encoding: .utf8)
            var server = try await LiveResponder.start(folders, environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(otlp)", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
                "OTEL_BSP_SCHEDULE_DELAY": "100",
            ])
            do {
                let traceparent = [("traceparent", "00-\(Self.senderTrace)-\(Self.senderSpan)-01")]
                let fire = String(decoding: try Fixture.bytes("v4_firing_minimal.json"), as: UTF8.self)
                let resolve = String(decoding: try Fixture.bytes("v4_resolved_minimal.json"), as: UTF8.self)
                #expect(try await server.postAlertmanager(body: fire, headers: traceparent).status == 200)
                try await server.eventually("the scale to 12") { target.replicas == "12" ? true : nil }
                #expect(try await server.postAlertmanager(body: resolve, headers: traceparent).status == 200)
                // Handled before the kill: a resolve replayed from the journal after the restart would be an engine
                // span of the new process, which the timer pass would link to.
                try await server.eventually("the resolve handled") { try await server.run("run-1").run.resolvedAt }
                try await server.killAndRestart()
                let tick = try await server.eventually("the ladder step's timer pass", limit: .seconds(15)) {
                    receiver.spans.first { $0.name == "engine tick" && $0.attributes["responder.steps.started"] == "1" }
                }
                #expect(target.replicas == "8")
                #expect(tick.parentSpanID.isEmpty && tick.traceID != Self.senderTrace)
                #expect(tick.links.isEmpty, "nothing remembered across the restart: \(tick.links)")
                #expect(tick.attributes["responder.run.id"] == "run-1", "the run id ties the traces together")
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }

    /// `traceparent` values a sender may put that the W3C format refuses: each delivery is still recorded, and its span
    /// starts a trace of its own instead of continuing the bogus one.
    static let hostileTraceparents = [
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff is invalid
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has exactly four fields
        "00-zzzz",
        "00-" + String(repeating: "a", count: 8_000),
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\tx",  // a tab: a header may carry it, our extractor refuses it
    ]

    @Test("a malformed traceparent never fails a delivery: it is recorded, and its span starts a trace of its own")
    func hostileTraceparent() async throws {
        let receiver = OTLPReceiver()
        try await receiver.run { otlp in
            let environment = [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(otlp)", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
                "OTEL_BSP_SCHEDULE_DELAY": "100",
            ]
            try await Self.withServe(environment: environment) { server, _, _ in
                let body = String(decoding: try Fixture.bytes("v4_resolved_minimal.json"), as: UTF8.self)
                for (index, value) in Self.hostileTraceparents.enumerated() {
                    let (status, answer) = try await server.postAlertmanager(
                        body: body, headers: [("traceparent", value), ("tracestate", "k=\(index)")])
                    #expect(status == 200, "traceparent \(value.prefix(80)): \(answer)")
                }
                let deliveries = try await server.eventually("a span per delivery", limit: .seconds(15)) { () -> [OTLPReceiver.Span]? in
                    let found = receiver.spans.filter { $0.name == "POST /hooks/alertmanager" }
                    return found.count >= 1 + Self.hostileTraceparents.count ? found : nil
                }
                let hostile = deliveries.filter { $0.traceID != Self.senderTrace }
                #expect(hostile.count == Self.hostileTraceparents.count, "\(deliveries)")
                for span in hostile {
                    #expect(span.parentSpanID.isEmpty, "a root span, not a child of the bogus parent: \(span)")
                    #expect(span.traceID.count == 32 && span.traceID != String(repeating: "0", count: 32), "\(span)")
                    #expect(span.attributes["http.response.status_code"] == "200", "\(span)")
                }
            }
        }
    }

    @Test("with no OTEL_* variable nothing is exported (not even to the default localhost:4318) and no traceparent is sent")
    func offByDefault() async throws {
        let receiver = OTLPReceiver()
        // The exporter's default endpoint: a server exporting by default would send here.
        var bound = true
        do {
            try await receiver.run(port: 4318) { _ in try await Self.checkNothingSent() }
        } catch is LoopbackPortError {
            bound = false
            try await Self.checkNothingSent()
        }
        #expect(receiver.posts == 0, "\(receiver.paths)")
        if !bound { print("127.0.0.1:4318 was in use: only the missing traceparent was checked") }
    }

    /// Runs the scenario without tracing and checks the HTTP action's call carried no trace.
    static func checkNothingSent() async throws {
        try await withServe(environment: [:]) { server, endpoint, slack in
            #expect(!server.process.stdout.contains("Tracing:"))
            let hit = try #require(endpoint.recorded.first)
            #expect(hit.headers["traceparent"] == nil && hit.headers["tracestate"] == nil, "\(hit.headers)")
            #expect(slack.calls.allSatisfy { $0.traceparent == nil })
            // Long enough for a batch exporter's schedule (1 s by default in swift-otel) to have sent something.
            try await Task.sleep(for: .milliseconds(1_500))
        }
    }
}
