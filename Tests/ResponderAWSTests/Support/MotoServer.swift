import AsyncHTTPClient
import Foundation
import NIOCore
import ResponderAWS
import ResponderTestSupport
import Testing

/// A moto server on a free loopback port, started once around a suite (``MotoServer/Scope``) and reachable from
/// its tests through ``MotoServer/current``. It also exits by itself when the test process goes away (its stdin
/// closes), so a crashed run leaves nothing behind.
// Process and Pipe are not Sendable, but they are only started once and then only terminated or closed.
final class MotoServer: @unchecked Sendable {
    /// The server of the running suite.
    @TaskLocal static var current: MotoServer?

    /// `http://127.0.0.1:<port>`.
    let endpoint: String
    /// The port.
    let port: Int
    private let process: Process
    private let stdin: Pipe

    /// Why moto could not be used.
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// Finds a free port, starts `moto.server` on it and waits until it answers.
    static func start() async throws -> MotoServer {
        let script = """
            import os, socket, sys, threading
            try:
                from moto.server import main
            except ImportError as error:
                print("missing " + str(error), flush=True)
                sys.exit(3)
            s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
            print(port, flush=True)
            devnull = os.open(os.devnull, os.O_WRONLY); os.dup2(devnull, 1); os.dup2(devnull, 2)
            threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
            main(["-H", "127.0.0.1", "-p", str(port)])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Unavailable(description: "cannot run python3 (\(error)): install Python 3 and pip install 'moto[server]'")
        }
        let handle = stdout.fileHandleForReading
        let line = await OffPool.run { Self.readLine(handle) }
        guard let port = Int(line) else {
            process.terminate()
            throw Unavailable(description: "moto server is not installed (\(line)): pip install 'moto[server]' boto3")
        }
        let server = MotoServer(endpoint: "http://127.0.0.1:\(port)", port: port, process: process, stdin: stdin)
        try await server.waitUntilReady()
        try await server.warmUp()
        return server
    }

    /// Moto loads a service's backend on its first request, which took more than the clients' 10 s on a loaded
    /// 2-core CI machine: one call to each service the suites use, with a minute to answer, before any test runs.
    private func warmUp() async throws {
        struct Empty: Encodable {}
        struct Namespace: Encodable { var ServiceNamespace = "ecs" }
        let factory = AWSBackendFactory(
            httpClient: HTTPClient.shared,
            credentials: StaticCredentials(AWSCredentials(accessKeyId: "AKIDMOTO", secretAccessKey: "moto-secret-key")),
            defaultRegion: "eu-west-1", endpoint: AWSEndpoint(url: endpoint), timeout: .seconds(60))
        _ = try await factory.client(.ecs, region: "eu-west-1")
            .call("ListClusters", Empty(), resource: "clusters", as: AWSNoOutput.self)
        _ = try await factory.client(.applicationAutoScaling, region: "eu-west-1")
            .call("DescribeScalableTargets", Namespace(), resource: "scalable targets", as: AWSNoOutput.self)
        // STS: moto picks the service from the credential scope and does not check the signature.
        var request = HTTPClientRequest(url: endpoint + "/")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Authorization",
                            value: "AWS4-HMAC-SHA256 Credential=AKIDMOTO/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0")
        request.body = .bytes(ByteBuffer(string: "Action=GetCallerIdentity&Version=2011-06-15"))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        guard response.status.code < 500 else {
            throw Unavailable(description: "moto's STS answered \(response.status) to a warm-up call")
        }
    }

    private init(endpoint: String, port: Int, process: Process, stdin: Pipe) {
        self.endpoint = endpoint
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    /// Reads up to the first newline.
    private static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes += chunk
            if chunk.contains(UInt8(ascii: "\n")) { break }
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }

    /// Polls `/moto-api/` until it answers (at most 30 s).
    private func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { break }
            var request = HTTPClientRequest(url: "\(endpoint)/moto-api/")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)),
               response.status.code < 500 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw Unavailable(description: "moto server did not answer on \(endpoint) within 30 s: pip install 'moto[server]'")
    }

    /// Stops the server.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// A suite trait that starts moto before the suite's tests and stops it after them.
    struct Scope: SuiteTrait, TestScoping {
        /// Runs `function` with a started server as ``MotoServer/current``.
        func provideScope(
            for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
        ) async throws {
            let server = try await MotoServer.start()
            defer { server.stop() }
            try await MotoServer.$current.withValue(server) { try await function() }
        }
    }

    /// The server of the running suite, or a failure saying how to get one.
    static func required() throws -> MotoServer {
        guard let current else { throw Unavailable(description: "no moto server in scope: add .moto to the suite") }
        return current
    }
}

extension Trait where Self == MotoServer.Scope {
    /// Runs the suite against a moto server.
    static var moto: MotoServer.Scope { MotoServer.Scope() }
}
