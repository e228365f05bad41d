import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why the real Prometheus could not be used; the message carries its output.
public struct PrometheusFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
}

/// A real Prometheus (Debian package `prometheus`) on a free loopback port, with its storage in a folder of the
/// test, scraping one local target every second. Shared by the executor tests and the `serve` tests; it talks HTTP
/// through ``LoopbackHTTP`` so this target needs no HTTP client library.
// Process is not Sendable; it is only started once, then polled and terminated.
public final class PrometheusProcess: @unchecked Sendable {
    /// The process.
    public let process: Process
    /// `http://127.0.0.1:PORT`.
    public let url: String
    private let log: String

    private init(process: Process, url: String, log: String) {
        self.process = process
        self.url = url
        self.log = log
    }

    /// Starts Prometheus scraping `http://127.0.0.1:<target>/metrics` every second (`https` without verifying the
    /// certificate when `https` is set: a `serve` under test) and waits until it is ready.
    public static func start(scraping target: Int, in folder: String, https: Bool = false) async throws -> PrometheusProcess {
        let binary = "/usr/bin/prometheus"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw PrometheusFailure(description: "\(binary) not found: install the Debian package prometheus (scripts/test does)")
        }
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: gate
                static_configs:
                  - targets: ["127.0.0.1:\(target)"]
            """ + (https ? """

                scheme: https
                tls_config:
                  insecure_skip_verify: true
            """ : "")
        try config.write(toFile: folder + "/prometheus.yml", atomically: true, encoding: .utf8)
        var failures: [String] = []
        for attempt in 0..<3 {
            let port = try LoopbackPort.free()
            let log = folder + "/prometheus-\(attempt).log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [
                "--config.file=\(folder)/prometheus.yml", "--storage.tsdb.path=\(folder)/data-\(attempt)",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ]
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let prometheus = PrometheusProcess(process: process, url: "http://127.0.0.1:\(port)", log: log)
            if await prometheus.waitUntilReady(limit: .seconds(20)) { return prometheus }
            await prometheus.stop()
            failures.append(prometheus.output)
        }
        throw PrometheusFailure(description: "Prometheus did not become ready:\n" + failures.joined(separator: "\n---\n"))
    }

    /// What Prometheus logged.
    public var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Polls `/-/ready` until it answers 200 or the process exits.
    private func waitUntilReady(limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, process.isRunning {
            if await LoopbackHTTP.get(url + "/-/ready", timeout: .seconds(2))?.status == 200 { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Polls the instant query `query` until its first value satisfies `done` (true) or `limit` passes (false).
    public func waitFor(_ query: String, limit: Duration, until done: (Double) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        var components = URLComponents(string: url + "/api/v1/query")
        components?.queryItems = [URLQueryItem(name: "query", value: query)]
        guard let address = components?.url?.absoluteString else { return false }
        while ContinuousClock.now < deadline {
            if let response = await LoopbackHTTP.get(address, timeout: .seconds(2)), response.status == 200,
               let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
               let data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]],
               let value = result.first?["value"] as? [Any], let text = value.last as? String,
               let number = Double(text), done(number) {
                return true
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// The JSON answer of the instant query `query` (`status`, `data` or `errorType`/`error`), nil when Prometheus
    /// could not be reached or did not answer JSON.
    public func query(_ query: String) async -> [String: Any]? {
        guard var components = URLComponents(string: url + "/api/v1/query") else { return nil }
        components.queryItems = [URLQueryItem(name: "query", value: query)]
        // `+` in a query is a plus, not an encoded space.
        let encoded = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components.percentEncodedQuery = encoded
        guard let address = components.url?.absoluteString,
              let response = await LoopbackHTTP.get(address, timeout: .seconds(5)) else { return nil }
        return try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
    }

    /// SIGTERM, then SIGKILL after 5 s.
    public func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// SIGKILL, as a crash or an OOM kill would stop it; returns once it exited (at most 5 s).
    public func kill() async {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }

}

/// A minimal HTTP/1.0 GET to a loopback `http://` URL over a plain socket (the test-support target has no HTTP client
/// library): enough for Prometheus' readiness and query endpoints, which answer HTTP/1.0 with a plain body.
public enum LoopbackHTTP {
    /// The status and body of `GET url`, or nil when it could not be fetched within `timeout` (per read or write).
    public static func get(_ url: String, timeout: Duration) async -> (status: Int, body: Data)? {
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host,
              let port = components.port else { return nil }
        let target = (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
            + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        let seconds = Int(timeout.components.seconds)
        return await OffPool.run { fetch(host: host, port: port, target: target, timeoutSeconds: max(1, seconds)) }
    }

    private static func fetch(host: String, port: Int, target: String, timeoutSeconds: Int) -> (status: Int, body: Data)? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var limit = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, size)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, size)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(target) HTTP/1.0\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return nil }
            sent += written
        }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while received.count < 16 << 20 {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { return nil }
            received.append(contentsOf: buffer[0..<count])
        }
        guard let split = received.range(of: Data("\r\n\r\n".utf8)),
              let head = String(data: received[..<split.lowerBound], encoding: .utf8),
              let statusText = head.split(separator: " ").dropFirst().first, let status = Int(statusText)
        else { return nil }
        return (status, Data(received[split.upperBound...]))
    }
}
