import Hummingbird
import ResponderCore
import ResponderTracing
import Tracing

/// The server span of one webhook delivery (`POST /hooks/alertmanager`, `/hooks/sns`, `/hooks/slack/actions`): it
/// continues the sender's trace when the request carries a W3C `traceparent`, and records the route, the answer's status
/// and, once decoded, the alerts' names. The hooks add child spans for their phases (authenticate, decode, journal).
enum DeliverySpan {
    /// Most alert names recorded on one span (a group can carry hundreds).
    static let maxAlertNames = 20

    /// Runs `handle` in the delivery's span, a child of the sender's trace context if it sent one.
    static func run(_ request: Request, route: String, source: String,
                    _ handle: (any Span) async -> Response) async -> Response {
        let parent = TraceHeaders.extract(from: request.headers)
        let attributes: SpanAttributes = [
            "http.request.method": "POST", "http.route": "\(route)", "responder.delivery.source": "\(source)",
        ]
        return await Traced.span("POST \(route)", context: parent, ofKind: .server, attributes: attributes) { span in
            let response = await handle(span)
            let status = Int(response.status.code)
            span.attributes["http.response.status_code"] = status
            // A 4xx is the sender's mistake, not a server fault (OpenTelemetry's HTTP server conventions).
            if status >= 500 { span.setStatus(SpanStatus(code: .error, message: "HTTP \(status)")) }
            return response
        }
    }

    /// Records the names and count of the delivery's alerts on `span`.
    static func record(_ alerts: [NormalizedAlert], on span: any Span) {
        var names: [String] = []
        for alert in alerts {
            guard let name = alert.labels["alertname"], !names.contains(name) else { continue }
            names.append(String(name.prefix(200)))
            if names.count == maxAlertNames { break }
        }
        span.attributes["responder.alerts"] = alerts.count
        if !names.isEmpty { span.attributes["responder.alert.names"] = names }
    }

    /// Runs `body` in a child span of the current context named `name` (a delivery's phase), ending it afterwards.
    static func phase<T>(_ name: String, isolation: isolated (any Actor)? = #isolation,
                         _ body: () async throws -> T) async rethrows -> T {
        let span = startSpan(name)
        defer { span.end() }
        do {
            return try await body()
        } catch {
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }
}
