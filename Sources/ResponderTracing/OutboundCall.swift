import NIOHTTP1
import Tracing

/// The client span of one outbound HTTP call (Kubernetes, AWS, an HTTP action, Slack, PagerDuty, Prometheus), and the
/// trace headers that go with it, so the other side continues the trace from this span.
///
/// Only the method, scheme, host and port of the URL are recorded (and a path when the caller says it carries nothing
/// secret): user info, query strings and webhook paths can hold credentials.
public struct OutboundCall: Sendable {
    /// The span of the call.
    public let span: any Span
    /// Where the call is written down for its step (``RequestLog``), and its place there.
    let logged: (log: RequestLog, index: Int)?

    /// The `traceparent`/`tracestate` headers continuing the trace from this call's span (none when tracing is off).
    public var traceHeaders: [(name: String, value: String)] {
        TraceHeaders.pairs(context: span.context)
    }

    /// Adds the trace headers to `headers`.
    public func inject(into headers: inout HTTPHeaders) {
        TraceHeaders.inject(into: &headers, context: span.context)
    }

    /// Records the answer's status; 4xx and 5xx mark the span failed, as OpenTelemetry's HTTP client conventions say.
    public func status(_ code: Int) {
        if let logged { logged.log.finish(logged.index, "HTTP \(code)") }
        span.attributes["http.response.status_code"] = code
        if code >= 400 { span.setStatus(SpanStatus(code: .error, message: "HTTP \(code)")) }
    }

    /// Runs `body` in a client span named `"<service> <METHOD>"` (for example `kubernetes PATCH`), a child of the
    /// current context. `path` is recorded in the span only when given: pass it only where it cannot carry a secret.
    /// Inside a step (``RequestLog/current``) the call is also written down for the run: method, origin, the path of
    /// `path` or else of `url` (never a query), and `operation` (an AWS API action) when given.
    public static func run<T, E: Error>(
        _ service: String,
        method: String,
        url: String,
        path: String? = nil,
        operation: String? = nil,
        attributes: SpanAttributes = [:],
        isolation: isolated (any Actor)? = #isolation,
        _ body: (OutboundCall) async throws(E) -> T
    ) async throws(E) -> T {
        var all = attributes
        all["responder.peer.service"] = service
        all["http.request.method"] = method
        let endpoint = Endpoint(url)
        if let scheme = endpoint.scheme { all["url.scheme"] = scheme }
        if let host = endpoint.host { all["server.address"] = host }
        if let port = endpoint.port { all["server.port"] = port }
        if let path { all["url.path"] = path }
        return try await Traced.span("\(service) \(method)", ofKind: .client, attributes: all, isolation: isolation) {
            span throws(E) in
            let log = RequestLog.current
            let shownPath = path.map { Endpoint.withoutQuery(Substring($0)) } ?? endpoint.path
            let line = "\(method) \(endpoint.origin)\(shownPath)"
                + (operation.map { " (\($0))" } ?? "")
            let logged = log.flatMap { log in log.start(line).map { (log: log, index: $0) } }
            do throws(E) {
                return try await body(OutboundCall(span: span, logged: logged))
            } catch {
                if let logged { logged.log.finish(logged.index, "failed") }
                throw error
            }
        }
    }
}

/// The parts of a URL a span or a log line may show: scheme, host, port and path, never user info or query.
public struct Endpoint: Equatable, Sendable {
    /// `http` or `https`, lower-cased.
    public var scheme: String?
    /// The host, without user info or brackets.
    public var host: String?
    /// The port, explicit or the scheme's default.
    public var port: Int?
    /// The path without its query or fragment (which may carry a token); empty when the URL has none.
    public var path = ""

    /// `scheme://host:port`, or `(no host)` when the URL has none.
    public var origin: String {
        guard let scheme, let host else { return "(no host)" }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)" + (port.map { ":\($0)" } ?? "")
    }

    /// `path` up to its query or fragment.
    public static func withoutQuery(_ path: Substring) -> String {
        String(path.prefix { $0 != "?" && $0 != "#" })
    }

    /// Parses `url` by hand (no Foundation): `scheme://[userinfo@]host[:port][/...]`.
    public init(_ url: String) {
        guard let separator = url.firstRange(of: "://") else { return }
        let scheme = url[..<separator.lowerBound].lowercased()
        self.scheme = scheme
        var rest = url[separator.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            path = Self.withoutQuery(rest[end...])
            rest = rest[..<end]
        }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        var hostPart = Substring(rest)
        var portPart: Substring?
        if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        host = hostPart.isEmpty ? nil : String(hostPart)
        if let portPart, let number = Int(portPart) {
            port = number
        } else {
            port = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        }
    }
}
