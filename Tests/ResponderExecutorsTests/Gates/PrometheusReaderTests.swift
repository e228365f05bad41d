import AsyncHTTPClient
import Foundation
import ResponderCore
import ResponderExecutors
import ResponderTestSupport
import Testing

@Suite("Prometheus reader against a local fake")
struct PrometheusReaderTests {
    static let end = Date(timeIntervalSince1970: 1_780_000_000)

    /// Reads `check` through a reader on the fake at `port` with `authentication`.
    static func read(port: Int, check: LoadCheck = requestsCheck(), authentication: PrometheusSettings.Authentication = .none,
                     timeout: Duration = .seconds(5)) async throws -> MetricReading {
        let reader = try PrometheusReader(
            settings: PrometheusSettings(url: "http://127.0.0.1:\(port)/prom/", authentication: authentication, timeout: timeout),
            client: HTTPClient.shared)
        return await reader.read(check, from: end.addingTimeInterval(-15), to: end)
    }

    @Test("query_range is asked with every value percent-encoded and points ending at `end`; a bearer token file is sent")
    func bearerAndQuery() async throws {
        let folder = try TemporaryFolder("prom-auth")
        defer { folder.remove() }
        let tokenFile = folder.path + "/token"
        try "s3cret-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let body = GateEndpoint.matrix([[(Self.end.timeIntervalSince1970 - 15, "250"), (Self.end.timeIntervalSince1970, "1e2")]])
        try await GateEndpoint.with({ _ in (200, "application/json", body) }) { port, seen in
            let check = requestsCheck(query: #"sum(rate(x{a="b+c"}[5m])) + 1 & 2"#)
            let reading = try await Self.read(port: port, check: check, authentication: .bearerTokenFile(tokenFile))
            #expect(reading == .samples([
                MetricSample(at: Self.end.addingTimeInterval(-15), value: 250), MetricSample(at: Self.end, value: 100),
            ]))
            let request = try #require(seen.withLockedValue { $0 }.first)
            #expect(request.path == "/prom/api/v1/query_range")
            #expect(request.authorization == "Bearer s3cret-token")
            #expect(request.query.contains("query=sum%28rate%28x%7Ba%3D%22b%2Bc%22%7D%5B5m%5D%29%29%20%2B%201%20%26%202"))
            #expect(request.query.contains("start=1779999985.000&end=1780000000.000&step=15"))
        }
    }

    @Test("basic auth is sent, also to a check's own url; a missing password file is unavailable without the secret")
    func basicAuth() async throws {
        let folder = try TemporaryFolder("prom-basic")
        defer { folder.remove() }
        let passwordFile = folder.path + "/password"
        try "pa55word".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try await GateEndpoint.with({ _ in (200, "application/json", GateEndpoint.matrix([])) }) { port, seen in
            let reader = try PrometheusReader(
                settings: PrometheusSettings(url: nil, authentication: .basic(username: "responder", passwordFile: passwordFile)),
                client: HTTPClient.shared)
            let check = requestsCheck(url: "http://127.0.0.1:\(port)")
            #expect(await reader.read(check, from: Self.end.addingTimeInterval(-30), to: Self.end) == .samples([]))
            let expected = "Basic " + Data("responder:pa55word".utf8).base64EncodedString()
            #expect(seen.withLockedValue { $0 }.first?.authorization == expected)
            try FileManager.default.removeItem(atPath: passwordFile)
            let missing = await reader.read(check, from: Self.end.addingTimeInterval(-30), to: Self.end)
            #expect(missing == .unavailable("cannot read prometheus.basic_auth.password_file \(passwordFile) (missing, unreadable or empty)"))
        }
    }

    @Test("two series are refused with advice; NaN is a sample the gate waits on")
    func seriesAndNaN() async throws {
        let t = Self.end.timeIntervalSince1970
        try await GateEndpoint.with({ path in
            (200, "application/json", GateEndpoint.matrix([[(t, "1")], [(t, "2")]]))
        }) { port, _ in
            let reading = try await Self.read(port: port)
            #expect(reading == .unavailable("the query returned 2 series; a load check needs one (wrap it in sum(...) or max(...))"))
        }
        try await GateEndpoint.with({ _ in (200, "application/json", GateEndpoint.matrix([[(t, "NaN")]])) }) { port, _ in
            let reading = try await Self.read(port: port)
            guard case .samples(let samples) = reading else { Issue.record("expected samples, got \(reading)"); return }
            #expect(samples.count == 1 && samples[0].value.isNaN)
            guard case .waits(let wait) = GateDecision.decide(requestsCheck(), reading: reading, now: Self.end) else {
                Issue.record("NaN must wait"); return
            }
            #expect(wait.reason.contains("is nan"))
        }
    }

    @Test("Prometheus errors, HTTP errors, hostile and oversized answers are unavailable with a clear text")
    func errors() async throws {
        let answers: [String: (Int, String, String)] = [
            "/bad/api/v1/query_range": (400, "application/json", #"{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"#),
            "/down/api/v1/query_range": (503, "text/plain", "Service Unavailable"),
            "/deep/api/v1/query_range": (200, "application/json", String(repeating: "[", count: 100_000)),
            "/dup/api/v1/query_range": (200, "application/json", #"{"status":"success","status":"error"}"#),
            "/time/api/v1/query_range": (200, "application/json", GateEndpoint.matrix([[(1e300, "1")]])),
            "/vector/api/v1/query_range": (200, "application/json", #"{"status":"success","data":{"resultType":"vector","result":[]}}"#),
            "/big/api/v1/query_range": (200, "application/json", String(repeating: " ", count: 5 << 20)),
        ]
        try await GateEndpoint.with({ answers[$0] ?? (404, "text/plain", "no") }) { port, _ in
            @Sendable func read(_ path: String) async -> String {
                guard let reader = try? PrometheusReader(settings: PrometheusSettings(url: "http://127.0.0.1:\(port)/\(path)"), client: HTTPClient.shared)
                else { return "no reader" }
                let reading = await reader.read(requestsCheck(), from: Self.end.addingTimeInterval(-15), to: Self.end)
                guard case .unavailable(let why) = reading else { return "not unavailable: \(reading)" }
                return why
            }
            #expect(await read("bad") == "Prometheus answered an error: bad_data: parse error at char 5 (HTTP 400)")
            #expect(await read("down").hasPrefix("Prometheus at http://127.0.0.1:\(port)/down answered HTTP 503 that is not its JSON API answer"))
            #expect(await read("deep").contains("not its JSON API answer"))
            #expect(await read("dup").contains("not its JSON API answer"))
            #expect(await read("time") == "Prometheus answered an implausible timestamp 1e+300")
            #expect(await read("vector") == "Prometheus answered a vector result, expected a matrix")
            #expect(await read("big") == "Prometheus at http://127.0.0.1:\(port)/big answered more than 4194304 bytes")
        }
    }

    @Test("nothing listening is unreachable; the gate waits saying it cannot be evaluated")
    func refused() async throws {
        let port = try LoopbackPort.free()
        let reading = try await Self.read(port: port, timeout: .seconds(2))
        guard case .unavailable(let why) = reading else { Issue.record("expected unavailable, got \(reading)"); return }
        #expect(why == "Prometheus at http://127.0.0.1:\(port)/prom/ unreachable: connection refused")
        let gated = GatedExecutor(RecordingInner(), reader: MetricRouter(
            prometheus: try PrometheusReader(settings: PrometheusSettings(url: "http://127.0.0.1:\(port)", timeout: .seconds(2)), client: HTTPClient.shared),
            cloudWatch: nil), now: { Self.end })
        let result = await gated.execute(gatedStep([requestsCheck()]), runID: "r", snapshot: [:], dryRun: false)
        guard case .waiting(let wait) = result else { Issue.record("expected waiting, got \(result)"); return }
        #expect(wait.reason.hasPrefix("cannot be evaluated: Prometheus at http://127.0.0.1:\(port) unreachable"))
        #expect(wait.value == nil)
    }

    @Test("credentials in a check url are never shown")
    func redacted() async throws {
        let port = try LoopbackPort.free()
        let reader = try PrometheusReader(settings: PrometheusSettings(url: nil, timeout: .seconds(2)), client: HTTPClient.shared)
        let check = requestsCheck(url: "http://user:hunter2@127.0.0.1:\(port)/?token=abc")
        let reading = await reader.read(check, from: Self.end.addingTimeInterval(-15), to: Self.end)
        guard case .unavailable(let why) = reading else { Issue.record("expected unavailable, got \(reading)"); return }
        #expect(!why.contains("hunter2") && !why.contains("abc") && !why.contains("user"))
    }

    @Test("a CA file that is not PEM is refused at start, naming the file")
    func badCA() throws {
        let folder = try TemporaryFolder("prom-ca")
        defer { folder.remove() }
        try "not a certificate".write(toFile: folder.path + "/ca.pem", atomically: true, encoding: .utf8)
        #expect(throws: PrometheusConfigError.self) {
            try PrometheusReader(settings: PrometheusSettings(url: "https://p", caFile: folder.path + "/ca.pem"), client: HTTPClient.shared)
        }
    }
}
