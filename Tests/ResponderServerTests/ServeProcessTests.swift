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
        let folders = try ServeFolders("serve")
        defer { folders.remove() }
        let state = folders.state
        let arguments = folders.serveArguments

        let (first, port, _) = try await ResponderProcess.serve(arguments)
        let printed = try await first.waitForLine(containing: "SHA-256 fingerprint:")
        #expect(first.stdout.contains("generated self-signed certificate"))
        let certificate = try Certificate(pemEncoded: try String(contentsOfFile: state + "/tls/cert.pem", encoding: .utf8))
        #expect(printed.hasSuffix(try SelfSignedCertificate.fingerprint(of: certificate)))

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

    @Test("SIGHUP reloads the playbooks; an invalid set is refused and the running one kept")
    func sighupReload() async throws {
        let folders = try ServeFolders("hup")
        defer { folders.remove() }
        let state = folders.state
        let playbooks = folders.playbooks
        let valid = """
            targets:
              - name: worker
                compose: {project: demo, service: worker}
                bounds: {floor: 2, ceiling: 20}
            playbooks:
              - name: queue-depth
                kind: emergency-scale
                match: {matchers: ['alertname="HighQueueDepth"']}
                actions:
                  - scale: {target: worker, by: +5}
            """
        try valid.write(toFile: playbooks + "/demo.yaml", atomically: true, encoding: .utf8)
        let (serve, port, _) = try await ResponderProcess.serve(folders.serveArguments)
        defer { if serve.process.isRunning { serve.process.terminate() } }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        func readyz() async throws -> String {
            let response = try await client.execute(HTTPClientRequest(url: "https://localhost:\(port)/readyz"), timeout: .seconds(10))
            return String(buffer: try await response.body.collect(upTo: 1 << 16))
        }
        func waitFor(_ predicate: (String) -> Bool) async throws -> String {
            var body = try await readyz()
            for _ in 0..<250 where !predicate(body) {
                try await Task.sleep(for: .milliseconds(20))
                body = try await readyz()
            }
            return body
        }
        do {
            #expect(try await readyz().contains("1 playbook(s), 1 target(s) from 1 file(s)"))
            try valid.replacingOccurrences(of: "by: +5", with: "bye: +5").write(toFile: playbooks + "/demo.yaml", atomically: true, encoding: .utf8)
            kill(serve.process.processIdentifier, SIGHUP)
            let refused = try await waitFor { $0.contains("running set kept") }
            #expect(refused.contains("running set kept"))
            #expect(refused.contains("demo.yaml:10"))
            #expect(refused.contains(#""ready":true"#))
            try valid.replacingOccurrences(of: "queue-depth", with: "queue-depth-v2").write(toFile: playbooks + "/demo.yaml", atomically: true, encoding: .utf8)
            kill(serve.process.processIdentifier, SIGHUP)
            let reloaded = try await waitFor { !$0.contains("running set kept") }
            #expect(!reloaded.contains("running set kept"))
            #expect(serve.process.isRunning, "SIGHUP reloads, it does not stop the server")
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        serve.process.terminate()
        #expect(try await serve.waitForExit() == 0)
    }
}
