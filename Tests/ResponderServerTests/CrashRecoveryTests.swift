import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import ResponderCore
import ResponderStore
import ResponderTestSupport
import Testing

/// The real binary, killed with SIGKILL at many points of a ladder and restarted: every step must be recorded exactly
/// once by the dry-run executor, never before its due time, and steps that came due while it was down must fire
/// within 2 s of the restart.
@Suite("crash recovery of runs (kill -9 and restart)")
struct CrashRecoveryTests {
    /// Scale `worker` to 12, then a ladder 11 … 4, one level per second after a 1 s hold.
    static let playbook = FastLadder.yaml(levels: [11, 10, 9, 8, 7, 6, 5, 4])

    struct Server {
        let process: ResponderProcess
        let port: Int
        let ready: Date
    }

    static func start(_ folders: ServeFolders) async throws -> Server {
        let (process, port, _) = try await ResponderProcess.serve(folders.serveArguments)
        return Server(process: process, port: port, ready: Date())
    }

    static func post(_ file: String, to server: Server, state: String) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        defer { _ = client.shutdown() }
        var request = HTTPClientRequest(url: "https://localhost:\(server.port)/hooks/alertmanager")
        request.method = .POST
        let token = try String(contentsOfFile: state + "/alertmanager-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(bytes: try Fixture.bytes(file)))
        let response = try await client.execute(request, timeout: .seconds(10))
        #expect(response.status == .ok)
    }

    @Test("each step fires exactly once overall and never early, across many SIGKILLs")
    func killAndRestart() async throws {
        let folders = try ServeFolders("crash")
        defer { folders.remove() }
        let state = folders.state
        try Self.playbook.write(toFile: folders.playbooks + "/fast.yaml", atomically: true, encoding: .utf8)

        var server = try await Self.start(folders)
        try await Self.post("v4_firing_minimal.json", to: server, state: state)
        try await Task.sleep(for: .milliseconds(200))
        try await Self.post("v4_resolved_minimal.json", to: server, state: state)

        // Kill at varied points: before the first ladder step, between steps, right after a step fired.
        let pauses = [50, 1200, 300, 900, 1500, 100, 700, 2500, 400]
        var restarts: [Date] = []
        for pause in pauses {
            try await Task.sleep(for: .milliseconds(pause))
            kill(server.process.process.processIdentifier, SIGKILL)
            _ = try await server.process.waitForExit()
            server = try await Self.start(folders)
            restarts.append(server.ready)
        }
        // Let it finish.
        let journal = try SQLiteJournal(path: state + "/responder.sqlite")
        var run: Run?
        for _ in 0..<600 {
            run = try await journal.recentRuns(limit: 1).first
            if run?.status == .completed { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.process.process.terminate()
        _ = try await server.process.waitForExit()

        let finished = try #require(run)
        #expect(finished.status == .completed)
        #expect(finished.steps.count == 9)
        let calls = try await RecordingExecutor(journal: journal).calls(runID: finished.id)
        let perStep = Dictionary(grouping: calls, by: \.step).mapValues(\.count)
        #expect(perStep == Dictionary(uniqueKeysWithValues: (0..<9).map { ($0, 1) }), "every step exactly once: \(perStep)")
        #expect(calls.filter { $0.action == "scale" }.compactMap(\.value) == [12, 11, 10, 9, 8, 7, 6, 5, 4])
        for call in calls {
            let step = finished.steps[call.step]
            if let due = step.due {
                #expect(call.recordedAt >= due.addingTimeInterval(-0.001), "step \(call.step) fired before its due time")
            }
        }
        // A step that came due while the process was down fires within 2 s of the restart.
        for call in calls {
            guard let due = finished.steps[call.step].due,
                  let restart = restarts.first(where: { $0 >= due && $0 <= call.recordedAt })
            else { continue }
            #expect(call.recordedAt.timeIntervalSince(restart) < 2, "step \(call.step) fired \(call.recordedAt.timeIntervalSince(restart)) s after the restart")
        }
    }
}
