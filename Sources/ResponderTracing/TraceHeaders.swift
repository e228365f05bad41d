import HTTPTypes
import NIOHTTP1
import Tracing

/// Carries the W3C trace context (`traceparent`, `tracestate`) between the tracing instrument and HTTP headers: written
/// on outbound requests, read from incoming webhooks. With no tracer bootstrapped (the default) nothing is written.
public enum TraceHeaders {
    /// Adds the trace headers of `context` (by default the current one) to outbound `headers`.
    public static func inject(into headers: inout HTTPHeaders, context: ServiceContext = .current ?? .topLevel) {
        InstrumentationSystem.instrument.inject(context, into: &headers, using: HTTPHeadersInjector())
    }

    /// The trace headers of `context` (by default the current one) as name/value pairs, for callers that build their
    /// headers as a list.
    public static func pairs(context: ServiceContext = .current ?? .topLevel) -> [(name: String, value: String)] {
        var headers = HTTPHeaders()
        inject(into: &headers, context: context)
        return headers.map { (name: $0.name, value: $0.value) }
    }

    /// A context continuing the trace of an incoming request's `traceparent` (empty when it has none or tracing is off).
    public static func extract(from fields: HTTPFields) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(fields, into: &context, using: HTTPFieldsExtractor())
        return context
    }

    /// Adds the trace context of `context` to a child process's environment as `TRACEPARENT` and `TRACESTATE` (the
    /// OpenTelemetry convention for environment carriers).
    public static func inject(into environment: inout [String: String], context: ServiceContext = .current ?? .topLevel) {
        InstrumentationSystem.instrument.inject(context, into: &environment, using: EnvironmentInjector())
    }

    /// Whether `value` may go into a header or an environment variable: printable ASCII only, so no CR, LF or NUL can
    /// split a request or a variable, whatever a sender put in its `tracestate`.
    public static func isSafe(_ value: String) -> Bool {
        value.utf8.count <= 8_192 && value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }
}

/// Writes trace headers into AsyncHTTPClient's headers, skipping unsafe values.
struct HTTPHeadersInjector: Injector {
    /// Replaces `key` with `value` when the value is safe.
    func inject(_ value: String, forKey key: String, into carrier: inout HTTPHeaders) {
        guard TraceHeaders.isSafe(value), TraceHeaders.isSafe(key) else { return }
        carrier.replaceOrAdd(name: key, value: value)
    }
}

/// Reads trace headers from Hummingbird's request fields.
struct HTTPFieldsExtractor: Extractor {
    /// The first value of `key`, when it is safe.
    func extract(key: String, from carrier: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key), let value = carrier[name], TraceHeaders.isSafe(value) else { return nil }
        return value
    }
}

/// Writes trace context into an environment as upper-case variables.
struct EnvironmentInjector: Injector {
    /// Sets `KEY` to `value` when the value is safe.
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        guard TraceHeaders.isSafe(value) else { return }
        carrier[key.uppercased()] = value
    }
}
