import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import ResponderCore
import ResponderTestSupport
import Testing

/// Two real `responder serve` replicas on one PostgreSQL: a pause set through one stops the steps the other hands
/// out, both list it, and lifting it through the second lets the step run at once.
@Suite("pauses shared by replicas on PostgreSQL")
struct SharedPauseTests {
    /// `method path` on `replica`'s admin API with its own admin token; the status and body.
    static func admin(_ replica: MultiReplicaTests.Replica, _ method: HTTPMethod, _ path: String,
                      json: String? = nil) async throws -> (status: UInt, body: String) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(replica.state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        defer { _ = client.shutdown() }
        var request = HTTPClientRequest(url: "https://localhost:\(replica.port)\(path)")
        request.method = method
        let token = try String(contentsOfFile: replica.state + "/admin-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        return (response.status.code, String(buffer: try await response.body.collect(upTo: 4 << 20)))
    }

    /// The first step of the latest run, as `replica`'s API shows it, once there is a run.
    static func firstStep(_ replica: MultiReplicaTests.Replica) async throws -> [String: Any]? {
        let list = try await admin(replica, .GET, "/api/runs?limit=1")
        let runs = (try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [String: Any])?["runs"] as? [[String: Any]]
        guard let id = runs?.first?["id"] as? String else { return nil }
        let detail = try await admin(replica, .GET, "/api/runs/\(id)")
        let run = (try JSONSerialization.jsonObject(with: Data(detail.body.utf8)) as? [String: Any])?["run"] as? [String: Any]
        return (run?["steps"] as? [[String: Any]])?.first
    }

    /// Polls `probe` every 100 ms for up to `seconds`.
    static func eventually<T>(_ what: String, seconds: Double = 15, _ probe: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "gave up waiting for \(what)"])
    }

    @Test("paused through replica A, a run on replica B waits; B lists the pause; lifted through B, the step runs at once")
    func sharedPause() async throws {
        let database = try await PostgresServer.shared().createDatabase()
        let folders = try ServeFolders("shared-pause")
        defer { folders.remove() }
        try FastLadder.yaml(levels: [6, 4]).write(toFile: folders.playbooks + "/fast.yaml", atomically: true, encoding: .utf8)
        let a = try await MultiReplicaTests.start(folders, name: "replica-a", database: database)
        let b = try await MultiReplicaTests.start(folders, name: "replica-b", database: database)
        defer {
            a.process.process.terminate()
            b.process.process.terminate()
        }
        let set = try await Self.admin(a, .POST, "/api/pause", json: #"{"reason": "cloud outage", "by": "alice"}"#)
        #expect(set.status == 201, "\(set.body)")

        try await MultiReplicaTests.post("v4_firing_minimal.json", to: b)
        let waiting = try await Self.eventually("B's run to wait for A's pause") {
            try await Self.firstStep(b).flatMap { ($0["blocked"] as? [String: Any])?["key"] as? String }
        }
        #expect(waiting == "pause-1")
        let listed = try await Self.admin(b, .GET, "/api/pause")
        #expect(listed.body.contains(#""id":"pause-1""#) && listed.body.contains("cloud outage"), "\(listed.body)")
        // B reads the pauses in force every 5 s: A's shows in B's /metrics within that.
        try await Self.eventually("A's pause in B's /metrics", seconds: 8) {
            try await MultiReplicaTests.metrics(of: b).contains(#"responder_paused{scope="global",direction="both"} 1"#) ? true : nil
        }

        #expect(try await Self.admin(b, .DELETE, "/api/pause/pause-1?by=bob").status == 200)
        let status = try await Self.eventually("the step to run once lifted", seconds: 8) {
            try await Self.firstStep(b).flatMap { step in step["status"] as? String == "done" ? "done" : nil }
        }
        #expect(status == "done")
        #expect(try await Self.admin(a, .DELETE, "/api/pause/pause-1").status == 404, "A sees it lifted")
    }
}
