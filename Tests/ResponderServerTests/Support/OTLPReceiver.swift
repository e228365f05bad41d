import Foundation
import NIOConcurrencyHelpers
import ResponderTestSupport

/// A local OpenTelemetry collector for the tests: accepts OTLP/HTTP `POST /v1/traces` in the JSON encoding
/// (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`), answers `{}` as a collector does, and keeps every span it was sent.
final class OTLPReceiver: Sendable {
    /// One exported span, its ids as lower-case hex.
    struct Span: Sendable, CustomStringConvertible {
        var name: String
        var traceID: String
        var spanID: String
        /// Empty for a root span.
        var parentSpanID: String
        /// OTLP's SpanKind number (1 internal, 2 server, 3 client).
        var kind: Int
        /// Attribute values as text (arrays joined with `,`).
        var attributes: [String: String]
        /// Linked spans: (trace id, span id).
        var links: [(traceID: String, spanID: String)]
        /// OTLP's status code (2 is error).
        var statusCode: Int

        /// One line for failure messages.
        var description: String {
            "\(name) trace=\(traceID) span=\(spanID) parent=\(parentSpanID.isEmpty ? "-" : parentSpanID) \(attributes)"
        }
    }

    private let received = NIOLockedValueBox<(posts: Int, spans: [Span], paths: [String])>((0, [], []))
    /// The spans received so far.
    var spans: [Span] { received.withLockedValue { $0.spans } }
    /// Requests received (any path).
    var posts: Int { received.withLockedValue { $0.posts } }
    /// Paths of the requests received.
    var paths: [String] { received.withLockedValue { $0.paths } }

    /// Runs the receiver (on `port`, by default one the system picks) for the duration of `body`, passing its port.
    func run<T: Sendable>(port: Int = 0, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let received = self.received
        return try await FakeServiceHost.run(label: "otlp-receiver", port: port, handle: { request in
            let spans = request.path == "/v1/traces" ? Self.decode(request.body) : []
            received.withLockedValue {
                $0.posts += 1
                $0.paths.append(request.path)
                $0.spans += spans
            }
            return FakeHTTPReply(status: 200, body: "{}")
        }, body)
    }

    /// The spans of an `ExportTraceServiceRequest` in OTLP's JSON encoding.
    static func decode(_ body: [UInt8]) -> [Span] {
        guard let root = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return [] }
        var spans: [Span] = []
        for resource in root["resourceSpans"] as? [[String: Any]] ?? [] {
            for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scope["spans"] as? [[String: Any]] ?? [] {
                    var attributes: [String: String] = [:]
                    for attribute in span["attributes"] as? [[String: Any]] ?? [] {
                        guard let key = attribute["key"] as? String else { continue }
                        attributes[key] = text(attribute["value"] as? [String: Any] ?? [:])
                    }
                    let links = (span["links"] as? [[String: Any]] ?? []).map {
                        (traceID: hex($0["traceId"]), spanID: hex($0["spanId"]))
                    }
                    let status = span["status"] as? [String: Any]
                    spans.append(Span(name: span["name"] as? String ?? "", traceID: hex(span["traceId"]),
                                      spanID: hex(span["spanId"]), parentSpanID: hex(span["parentSpanId"]),
                                      kind: (span["kind"] as? Int) ?? 0, attributes: attributes, links: links,
                                      statusCode: (status?["code"] as? Int) ?? 0))
                }
            }
        }
        return spans
    }

    /// An id as hex: OTLP/JSON says hex, protobuf's generic JSON writes bytes as base64; both are accepted.
    static func hex(_ value: Any?) -> String {
        guard let text = value as? String, !text.isEmpty else { return "" }
        if (text.count == 32 || text.count == 16), text.allSatisfy(\.isHexDigit) { return text.lowercased() }
        guard let data = Data(base64Encoded: text) else { return text }
        return data.map { String(format: "%02x", $0) }.joined()
    }

    /// An `AnyValue` as text.
    static func text(_ value: [String: Any]) -> String {
        if let string = value["stringValue"] as? String { return string }
        if let int = value["intValue"] { return "\(int)" }
        if let bool = value["boolValue"] as? Bool { return "\(bool)" }
        if let double = value["doubleValue"] { return "\(double)" }
        if let array = value["arrayValue"] as? [String: Any] {
            return (array["values"] as? [[String: Any]] ?? []).map(text).joined(separator: ",")
        }
        return ""
    }
}
