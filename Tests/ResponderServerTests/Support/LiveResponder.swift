import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import ResponderCore

/// The real `responder serve` with live executors (`executors.dry_run: false`) on one state folder, which a test can
/// kill with SIGKILL and start again on the same folder; with the admin runs API. Its output (with the JSON log) ends
/// the message of a failed wait.
struct LiveResponder {
    /// The state and playbooks folders.
    let folders: ServeFolders
    /// The running process.
    private(set) var process: ResponderProcess
    /// Its HTTPS port (a new one after each restart).
    private(set) var port: Int
    private let client: HTTPClient
    /// The environment the process is started (and restarted) with.
    private var environment: [String: String] = [:]

    /// Starts the server on `folders`, with `environment` added (live executors unless it says otherwise).
    static func start(_ folders: ServeFolders, environment extra: [String: String] = [:]) async throws -> LiveResponder {
        let environment = ["RESPONDER_EXECUTORS_DRY_RUN": "false"].merging(extra) { $1 }
        let (process, port, _) = try await ResponderProcess.serve(folders.serveArguments, environment: environment, logs: true)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(folders.state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        var server = LiveResponder(folders: folders, process: process, port: port, client: client)
        server.environment = environment
        return server
    }

    /// Kills the process with SIGKILL, waits for it to exit, and starts a new one on the same folders.
    mutating func killAndRestart() async throws {
        kill(process.process.processIdentifier, SIGKILL)
        _ = try await process.waitForExit()
        (process, port, _) = try await ResponderProcess.serve(folders.serveArguments, environment: environment, logs: true)
    }

    /// Stops the process (SIGTERM) and the HTTP client.
    func stop() async {
        if process.process.isRunning { process.process.terminate() }
        _ = try? await process.waitForExit()
        try? await client.shutdown()
    }

    /// Posts fixture `file` to `/hooks/alertmanager`; returns the status.
    func postAlertmanager(_ file: String) async throws -> UInt {
        try await folders.postAlertmanager(file, port: port)
    }

    /// Posts `body` to `/hooks/alertmanager` with the bearer token (and `headers`), as Alertmanager does; returns the
    /// status and body.
    func postAlertmanager(body: String, headers: [(String, String)] = []) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: "https://localhost:\(port)/hooks/alertmanager")
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let token = try String(contentsOfFile: folders.state + "/alertmanager-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let text = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: text))
    }

    /// Sends `method path` with the admin token (and `json` as the body, when given); returns the status and body.
    func admin(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: "https://localhost:\(port)\(path)")
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let token = try String(contentsOfFile: folders.state + "/admin-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 4 << 20)
        return (response.status.code, String(buffer: body))
    }

    /// `GET /api/runs/{id}`: the run as the API shows it (`run`), decoded, and its raw JSON object.
    func run(_ id: String) async throws -> (run: Run, json: [String: Any]) {
        let (status, body) = try await admin(.GET, "/api/runs/\(id)")
        guard status == 200 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "GET /api/runs/\(id): \(status) \(body)"])
        }
        struct Detail: Decodable { var run: Run }
        let run = try RFC3339JSON.decoder().decode(Detail.self, from: Data(body.utf8)).run
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return (run, object?["run"] as? [String: Any] ?? [:])
    }

    /// The id of the most recent run, once there is one.
    func latestRunID() async throws -> String? {
        let (status, body) = try await admin(.GET, "/api/runs?limit=1")
        guard status == 200, let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let runs = object["runs"] as? [[String: Any]] else { return nil }
        return runs.first?["id"] as? String
    }

    /// Polls `probe` every 50 ms until it returns a value; fails after `limit`, or at once if the process exited, with
    /// the end of its output.
    @discardableResult
    func eventually<T>(_ what: String, limit: Duration = .seconds(20), _ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            guard process.process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey:
            "gave up waiting for \(what) after \(limit) (running: \(process.process.isRunning)); output:\n"
            + process.stdout.split(separator: "\n").suffix(30).joined(separator: "\n")])
    }
}
