import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOSSL
import ResponderServer
import SwiftASN1
import Testing
import X509

@Suite("responder serve as a process")
struct ServeProcessTests {
    @Test("first start generates and prints the certificate, a restart reuses it, SIGTERM shuts down cleanly")
    func lifecycle() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)").path
        let state = folder + "/state"
        let playbooks = folder + "/Playbooks"
        try FileManager.default.createDirectory(atPath: playbooks, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let arguments = ["serve", "--state", state, "--listen", "127.0.0.1:0", "--playbooks", playbooks]

        let first = try ResponderProcess(arguments: arguments)
        let listening = try await first.waitForLine(containing: "Responder listening on https://127.0.0.1:")
        let printed = try await first.waitForLine(containing: "SHA-256 fingerprint:")
        #expect(first.stdout.contains("generated self-signed certificate"))
        let certificate = try Certificate(pemEncoded: try String(contentsOfFile: state + "/tls/cert.pem", encoding: .utf8))
        #expect(printed.hasSuffix(try SelfSignedCertificate.fingerprint(of: certificate)))
        let address = try #require(listening.firstMatch(of: /https:\/\/127\.0\.0\.1:(\d+)/))
        let port = try #require(Int(address.1))

        let token = try String(contentsOfFile: state + "/alertmanager-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!first.stdout.contains(token), "the generated token is never printed")
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        var request = HTTPClientRequest(url: "https://localhost:\(port)/hooks/alertmanager")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(bytes: try Fixture.bytes("v4_firing_minimal.json")))
        let response = try await client.execute(request, timeout: .seconds(30))
        try await client.shutdown()
        #expect(response.status == .ok)

        first.process.terminate()
        #expect(try await first.waitForExit() == 0, "SIGTERM is a graceful shutdown")

        let second = try ResponderProcess(arguments: arguments)
        _ = try await second.waitForLine(containing: "Responder listening on")
        #expect(second.stdout.contains("reusing self-signed certificate"))
        #expect(second.stdout.contains(printed))
        second.process.terminate()
        #expect(try await second.waitForExit() == 0)

        let alerts = try ResponderProcess(arguments: ["alerts", "--state", state])
        #expect(try await alerts.waitForExit() == 0)
        #expect(alerts.stdout.contains("alertmanager firing HighQueueDepth fingerprint=a1b2c3d4e5f60718"))
    }
}
