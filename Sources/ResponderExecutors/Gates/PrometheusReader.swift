import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import ResponderCore
import ResponderTracing

/// Reads `.prometheus` load checks with `GET /api/v1/query_range` on the configured Prometheus (or the check's own
/// `url`, with the same authentication). Every failure (HTTP errors, PromQL errors, timeouts, refused connections,
/// oversized or malformed answers) is an ``MetricReading/unavailable(_:)`` whose text says what happened; secrets
/// never appear in it.
public struct PrometheusReader: MetricReader {
    private let settings: PrometheusSettings
    private let client: HTTPClient
    private let tls: TLSConfiguration?

    /// Creates a reader on `client` (its lifecycle belongs to the caller); throws when `caFile` cannot be used.
    public init(settings: PrometheusSettings, client: HTTPClient) throws(PrometheusConfigError) {
        self.settings = settings
        self.client = client
        self.tls = try settings.tlsConfiguration()
    }

    /// Reads `check` from `start` to `end`, one point every ``LoadCheck/resolution``, the last one at `end`.
    public func read(_ check: LoadCheck, from start: Date, to end: Date) async -> MetricReading {
        guard case .prometheus(let query, let override) = check.source else {
            return .unavailable("not a Prometheus check")
        }
        guard let base = override ?? settings.url else {
            return .unavailable("prometheus.url is not configured")
        }
        guard let url = Self.queryURL(base: base, query: query, start: start, end: end, step: check.resolution) else {
            return .unavailable("the Prometheus URL \(Self.shown(base)) is not an http(s) URL")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.tlsConfiguration = tls
        switch authorization() {
        case .success(let value?): request.headers.add(name: "Authorization", value: value)
        case .success(nil): break
        case .failure(let error): return .unavailable(error.message)
        }
        let shown = Self.shown(base)
        do {
            return try await OutboundCall.run("prometheus", method: "GET", url: url) { call in
                call.inject(into: &request.headers)
                let response = try await client.execute(request, timeout: Self.timeAmount(settings.timeout))
                call.status(Int(response.status.code))
                let body: ByteBuffer
                do { body = try await response.body.collect(upTo: settings.maxResponseBytes) } catch {
                    if error is NIOTooManyBytesError {
                        return .unavailable("Prometheus at \(shown) answered more than \(settings.maxResponseBytes) bytes")
                    }
                    throw error
                }
                return Self.reading(status: Int(response.status.code), body: Array(buffer: body), shown: shown)
            }
        } catch {
            return .unavailable("Prometheus at \(shown) unreachable: \(Self.describe(error))")
        }
    }

    /// The reading of an answer with `status` and `body`.
    static func reading(status: Int, body: [UInt8], shown: String) -> MetricReading {
        let answer: PrometheusAnswer
        do {
            answer = try StrictJSON().decode(PrometheusAnswer.self, from: body)
        } catch {
            let excerpt = PrometheusAnswer.clip(String(decoding: body.prefix(200), as: UTF8.self))
            return .unavailable("Prometheus at \(shown) answered HTTP \(status) that is not its JSON API answer: \(excerpt)")
        }
        if !(200..<300).contains(status) {
            if case .unavailable(let why) = answer.reading() { return .unavailable("\(why) (HTTP \(status))") }
            return .unavailable("Prometheus at \(shown) answered HTTP \(status)")
        }
        return answer.reading()
    }

    /// `<base>/api/v1/query_range?query=…&start=…&end=…&step=…`, every value percent-encoded (`+` included); the
    /// start moved back so that the points fall on `end`. Nil when `base` is not http(s) with a host.
    static func queryURL(base: String, query: String, start: Date, end: Date, step: Duration) -> String? {
        guard var components = URLComponents(string: base),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              components.host?.isEmpty == false
        else { return nil }
        let stepSeconds = max(1, Int(saturating: step.timeInterval))
        let span = max(0, end.timeIntervalSince(start))
        let steps = min(10_000, max(1, Int(saturating: (span / Double(stepSeconds)).rounded(.up))))
        let first = end.addingTimeInterval(-Double(steps * stepSeconds))
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        components.percentEncodedPath = path + "/api/v1/query_range"
        components.percentEncodedQuery = [
            ("query", query), ("start", seconds(first)), ("end", seconds(end)), ("step", "\(stepSeconds)"),
        ].map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
        return components.url?.absoluteString
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters (so `+`, `&`, `=` and spaces survive).
    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A time as Prometheus reads it: seconds with milliseconds, rounded down (rounding up could put the last point
    /// after `end`, where the gate does not look).
    static func seconds(_ date: Date) -> String {
        String(format: "%.3f", (date.timeIntervalSince1970 * 1_000).rounded(.down) / 1_000)
    }

    /// The `Authorization` value, reading the secret file now; errors name the file, never its content.
    private func authorization() -> Result<String?, PrometheusConfigError> {
        switch settings.authentication {
        case .none:
            return .success(nil)
        case .bearerTokenFile(let file):
            guard let token = Self.secret(file) else {
                return .failure(PrometheusConfigError("cannot read prometheus.bearer_token_file \(file) (missing, unreadable or empty)"))
            }
            return .success("Bearer \(token)")
        case .basic(let username, let file):
            guard let password = Self.secret(file) else {
                return .failure(PrometheusConfigError("cannot read prometheus.basic_auth.password_file \(file) (missing, unreadable or empty)"))
            }
            return .success("Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
        }
    }

    /// The trimmed content of a secret file, nil when unreadable or empty.
    private static func secret(_ file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A URL as shown in messages: scheme, host and path, without user info or query.
    static func shown(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(an unparsable URL)" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "(an unparsable URL)"
    }

    /// A transport failure in words.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text
    }

    /// A duration as a NIO time amount, clamped to an hour.
    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let seconds = min(max(duration.components.seconds, 0), 3_600)
        return .seconds(seconds) + .nanoseconds(duration.components.attoseconds / 1_000_000_000)
    }
}
