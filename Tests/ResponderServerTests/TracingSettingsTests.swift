import ResponderServer
import ResponderTracing
import Testing

/// What the `OTEL_*` variables turn on, what they refuse, and the pieces of tracing that must never leak a secret or
/// split a header.
@Suite("tracing settings from OTEL_* variables")
struct TracingSettingsTests {
    @Test("off with no variable, with OTEL_SDK_DISABLED=true and with OTEL_TRACES_EXPORTER=none")
    func offByDefault() throws {
        #expect(try !TracingSettings.resolve([:]).enabled)
        #expect(try !TracingSettings.resolve(["OTEL_SERVICE_NAME": "x", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]).enabled,
                "variables that only shape an export do not turn it on")
        #expect(try !TracingSettings.resolve(["OTEL_SDK_DISABLED": "TRUE", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"]).enabled)
        #expect(try !TracingSettings.resolve(["OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"]).enabled)
        #expect(try !TracingSettings.resolve(["OTEL_EXPORTER_OTLP_ENDPOINT": "  "]).enabled, "blank is unset")
    }

    @Test("on with an endpoint or OTEL_TRACES_EXPORTER=otlp; the shared endpoint gets /v1/traces, the traces one is as given")
    func on() throws {
        let shared = try TracingSettings.resolve(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://user:pw@collector:4318/"])
        #expect(shared == TracingSettings(enabled: true, transport: "http/protobuf", destination: "http://collector:4318"),
                "no user info in the start-up line")
        let specific = try TracingSettings.resolve(["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://otel.example/in?k=secret",
                                                    "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"])
        #expect(specific == TracingSettings(enabled: true, transport: "http/json", destination: "https://otel.example:443"))
        let defaulted = try TracingSettings.resolve(["OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "false"])
        #expect(defaulted.destination == "http://localhost:4318")
    }

    @Test("refuses what this build cannot export, saying which variable to fix")
    func refusals() {
        #expect { try TracingSettings.resolve(["OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]) }
            throws: { "\($0)".hasPrefix("OTEL_EXPORTER_OTLP_PROTOCOL:") && "\($0)".contains("4318") }
        #expect { try TracingSettings.resolve(["OTEL_TRACES_EXPORTER": "zipkin"]) }
            throws: { "\($0)".hasPrefix("OTEL_TRACES_EXPORTER:") }
        #expect { try TracingSettings.resolve(["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"]) }
            throws: { "\($0)".hasPrefix("OTEL_EXPORTER_OTLP_ENDPOINT:") }
        #expect { try TracingSettings.resolve(["OTEL_SDK_DISABLED": "maybe"]) } throws: { "\($0)".hasPrefix("OTEL_SDK_DISABLED:") }
    }

    @Test("a span shows a URL's scheme, host and port only")
    func endpoint() {
        #expect(Endpoint("https://hooks.slack.com/services/T0/B0/secret").origin == "https://hooks.slack.com:443")
        #expect(Endpoint("http://admin:pw@10.0.0.1:8080/x?token=1").origin == "http://10.0.0.1:8080")
        #expect(Endpoint("http://admin:pw@10.0.0.1:8080/x?token=1").path == "/x")
        #expect(Endpoint("https://[::1]:6443/apis").host == "::1")
        #expect(Endpoint("https://[::1]:6443/apis").origin == "https://[::1]:6443")
        #expect(Endpoint("no scheme").origin == "(no host)")
    }

    @Test("trace header values with CR, LF or other control characters are never written")
    func unsafeValues() {
        #expect(TraceHeaders.isSafe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        #expect(!TraceHeaders.isSafe("vendor=1\r\nX-Injected: yes"))
        #expect(!TraceHeaders.isSafe("a\u{0}b"))
        #expect(!TraceHeaders.isSafe("é"))
    }

    @Test("the trace memory keeps the recent keys and forgets the oldest generation")
    func memory() {
        let memory = TraceMemory(capacity: 4)
        for key in ["a", "b", "c", "d", "e"] { memory.remember(.topLevel, for: key) }
        #expect(memory.context(for: "e") != nil && memory.context(for: "c") != nil)
        memory.remember(.topLevel, for: "f")
        memory.remember(.topLevel, for: "g")
        #expect(memory.context(for: "a") == nil, "two generations of two keys: the oldest are gone")
        #expect(memory.context(for: "g") != nil)
    }

    /// A failure for the request-log test.
    struct CallFailed: Error {}

    @Test("inside a step every outbound call is written down: method, origin, path without its query, how it ended")
    func requestLog() async {
        let log = RequestLog()
        await RequestLog.$current.withValue(log) {
            await OutboundCall.run("http action", method: "POST", url: "https://user:pw@api.example:8443/warm/up?token=s3cret#x") {
                call in call.status(204)
            }
            await OutboundCall.run("aws", method: "POST", url: "https://ecs.us-east-1.amazonaws.com/",
                                   operation: "AmazonEC2ContainerServiceV20141113.UpdateService") { _ in }
            do throws(CallFailed) {
                try await OutboundCall.run("kubernetes", method: "PATCH", url: "https://k8s:6443",
                                           path: "/apis/apps/v1/namespaces/a/deployments/b/scale?fieldManager=responder") {
                    (_: OutboundCall) async throws(CallFailed) -> Void in throw CallFailed()
                }
                Issue.record("the call's error was swallowed")
            } catch {}
        }
        #expect(log.lines == [
            "POST https://api.example:8443/warm/up → HTTP 204",
            "POST https://ecs.us-east-1.amazonaws.com:443/ (AmazonEC2ContainerServiceV20141113.UpdateService) → no answer",
            "PATCH https://k8s:6443/apis/apps/v1/namespaces/a/deployments/b/scale → failed",
        ])
        await OutboundCall.run("http action", method: "GET", url: "https://api.example/outside") { call in call.status(200) }
        #expect(log.lines.count == 3, "a call outside a step is written nowhere")
    }
}
