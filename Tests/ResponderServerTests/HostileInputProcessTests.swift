import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import Testing

/// Hostile bodies sent to the real binary over HTTPS: each gets a clear 4xx and the process keeps serving.
@Suite("hostile input against responder serve")
struct HostileInputProcessTests {
    /// A high surrogate followed by another high surrogate: the 23-byte body that used to end the process with an
    /// arithmetic overflow in the strict JSON scanner.
    static let surrogateBody = #"{"Type":"\ud800\ud800"}"#

    @Test("surrogate escapes that do not pair are refused with 400 on both hooks; the server keeps serving")
    func unpairedSurrogates() async throws {
        let folders = try ServeFolders("hostile")
        defer { folders.remove() }
        let environment = [
            "RESPONDER_SNS_ALLOWED_REGIONS": "us-east-1",
            "RESPONDER_SNS_ALLOWED_TOPIC_ARNS": "arn:aws:sns:us-east-1:123456789012:alarms",
        ]
        let (server, port, _) = try await ResponderProcess.serve(folders.serveArguments, environment: environment)
        defer { server.process.terminate() }
        let token = try String(contentsOfFile: folders.state + "/alertmanager-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(folders.state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            try await Self.exercise(client: client, port: port, token: token, server: server)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static func exercise(client: HTTPClient, port: Int, token: String, server: ResponderProcess) async throws {

        func post(_ path: String, _ body: String, headers: [(String, String)]) async throws -> (Int, String) {
            var request = HTTPClientRequest(url: "https://localhost:\(port)\(path)")
            request.method = .POST
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await client.execute(request, timeout: .seconds(30))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            return (Int(response.status.code), text)
        }
        let sns = [("Content-Type", "text/plain; charset=UTF-8")]
        let alertmanager = [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]

        let high = try await post("/hooks/sns", Self.surrogateBody, headers: sns)
        #expect(high.0 == 400)
        #expect(high.1.contains("unpaired surrogate"), "\(high.1)")
        let low = try await post("/hooks/sns", #"{"Type":"\udc00"}"#, headers: sns)
        #expect(low.0 == 400)
        #expect(low.1.contains("unpaired surrogate"), "\(low.1)")

        let good = String(decoding: try Fixture.bytes("v4_firing_minimal.json"), as: UTF8.self)
        let label = good.replacingOccurrences(of: #""worker""#, with: #""\ud800\ud800""#)
        let refused = try await post("/hooks/alertmanager", label, headers: alertmanager)
        #expect(refused.0 == 400)
        #expect(refused.1.contains("unpaired surrogate"), "\(refused.1)")

        #expect(server.process.isRunning, "the process survived every hostile body")
        #expect(try await post("/hooks/alertmanager", good, headers: alertmanager).0 == 200)
        let paired = label.replacingOccurrences(of: #"\ud800\ud800"#, with: #"\ud83d\ude00"#)
            .replacingOccurrences(of: "a1b2c3d4e5f60718", with: "a1b2c3d4e5f60719")
        let recorded = try await post("/hooks/alertmanager", paired, headers: alertmanager)
        #expect(recorded.0 == 200, "a real pair is text: \(recorded.1)")
        #expect(recorded.1.contains(#""new_alerts":1"#), "\(recorded.1)")
    }

    @Test("labels holding terminal escape sequences are printed inert by `responder alerts`")
    func terminalEscapes() async throws {
        let folders = try ServeFolders("escapes")
        defer { folders.remove() }
        let (server, port, _) = try await ResponderProcess.serve(folders.serveArguments)
        let token = try String(contentsOfFile: folders.state + "/alertmanager-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(folders.state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        var request = HTTPClientRequest(url: "https://localhost:\(port)/hooks/alertmanager")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let good = String(decoding: try Fixture.bytes("v4_firing_minimal.json"), as: UTF8.self)
        let hostile = good.replacingOccurrences(of: #""worker""#, with: #""w\u001b]0;pwned\u0007\u001b[2J\nfake line\u202e""#)
        request.body = .bytes(ByteBuffer(string: hostile))
        let status = try await client.execute(request, timeout: .seconds(30)).status
        try await client.shutdown()
        server.process.terminate()
        #expect(status == .ok)
        _ = try await server.waitForExit()

        let alerts = try ResponderProcess(arguments: ["alerts", "--state", folders.state])
        #expect(try await alerts.waitForExit() == 0)
        #expect(!alerts.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        #expect(alerts.stdout.contains(#"deployment=w\u{1B}]0;pwned\u{7}\u{1B}[2J\u{A}fake line\u{202E}"#), "\(alerts.stdout)")
        #expect(alerts.stdout.split(separator: "\n").count == 1, "one alert, one line")
    }
}
