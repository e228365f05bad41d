import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import ResponderTestSupport

/// A temporary state folder and playbooks folder for running `responder serve`.
struct ServeFolders {
    let temporary: TemporaryFolder
    var state: String { temporary.path + "/state" }
    var playbooks: String { temporary.path + "/Playbooks" }

    init(_ prefix: String) throws {
        temporary = try TemporaryFolder(prefix)
        try FileManager.default.createDirectory(atPath: temporary.path + "/Playbooks", withIntermediateDirectories: true)
    }

    /// `serve` arguments on a loopback port chosen by the system.
    var serveArguments: [String] { ["serve", "--state", state, "--listen", "127.0.0.1:0", "--playbooks", playbooks] }

    /// Posts fixture `file` to `/hooks/alertmanager` of the server on `port` that uses this state folder, with the
    /// bearer token and certificate it wrote there, as Alertmanager does; returns the status.
    func postAlertmanager(_ file: String, port: Int) async throws -> UInt {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            var request = HTTPClientRequest(url: "https://localhost:\(port)/hooks/alertmanager")
            request.method = .POST
            let token = try String(contentsOfFile: state + "/alertmanager-token", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.body = .bytes(ByteBuffer(bytes: try Fixture.bytes(file)))
            let status = try await client.execute(request, timeout: .seconds(30)).status.code
            try await client.shutdown()
            return status
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func remove() { temporary.remove() }
}
