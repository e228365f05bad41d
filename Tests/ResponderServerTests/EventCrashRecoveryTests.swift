import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import ResponderCore
import ResponderStore
import ResponderTestSupport
import Testing

/// A scheduled event on the real binary, killed with SIGKILL in the middle of its window and again between its end and
/// its step-down, and restarted each time: the event is prepared once, its scale-up runs once, its ladder once and
/// never before end + hold.
@Suite("crash recovery of a scheduled event (kill -9 in the window)")
struct EventCrashRecoveryTests {
    static let playbook = LaunchPlaybook.yaml(lead: "1s", hold: "1s", scaleTo: 12, every: "1s", level: 6)

    static func schedule(start: Date, end: Date, port: Int, state: String) async throws -> Int {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        defer { _ = client.shutdown() }
        var request = HTTPClientRequest(url: "https://localhost:\(port)/api/events")
        request.method = .POST
        let token = try String(contentsOfFile: state + "/admin-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = #"{"playbook":"launch","name":"flash sale","start":"\#(RFC3339.format(start))","end":"\#(RFC3339.format(end))"}"#
        request.body = .bytes(ByteBuffer(string: body))
        return Int(try await client.execute(request, timeout: .seconds(10)).status.code)
    }

    @Test("killed mid-window and before the step-down: prepared once, each step once, the ladder not before end + hold")
    func killInWindow() async throws {
        let folders = try ServeFolders("event-crash")
        defer { folders.remove() }
        let state = folders.state
        try Self.playbook.write(toFile: folders.playbooks + "/launch.yaml", atomically: true, encoding: .utf8)
        var server = try await CrashRecoveryTests.start(folders)
        let start = Date().addingTimeInterval(3)
        let end = start.addingTimeInterval(3)
        #expect(try await Self.schedule(start: start, end: end, port: server.port, state: state) == 201)
        let journal = try SQLiteJournal(path: state + "/responder.sqlite")

        // Mid-window, once the scale-up is recorded.
        for _ in 0..<200 where try await RecordingExecutor(journal: journal).calls().isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(until: .now + .milliseconds(max(0, Int(start.timeIntervalSinceNow * 1000)) + 500))
        kill(server.process.process.processIdentifier, SIGKILL)
        _ = try await server.process.waitForExit()
        server = try await CrashRecoveryTests.start(folders)
        // Between the end and the ladder (end + 1 s hold).
        try await Task.sleep(for: .milliseconds(max(0, Int(end.timeIntervalSinceNow * 1000)) + 300))
        kill(server.process.process.processIdentifier, SIGKILL)
        _ = try await server.process.waitForExit()
        server = try await CrashRecoveryTests.start(folders)

        var run: Run?
        for _ in 0..<300 {
            run = try await journal.recentRuns(limit: 5).first
            if run?.status == .completed { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.process.process.terminate()
        _ = try await server.process.waitForExit()

        let finished = try #require(run)
        #expect(finished.status == .completed && finished.alertFingerprint == "event-evt-1")
        #expect(try await journal.recentRuns(limit: 5).count == 1, "one run")
        #expect(try await journal.recentAlerts(limit: 10).map(\.alert.idempotencyKey) == ["event/evt-1/r1"], "prepared once")
        let calls = try await RecordingExecutor(journal: journal).calls(runID: finished.id)
        #expect(Dictionary(grouping: calls, by: \.step).mapValues(\.count) == [0: 1, 1: 1], "each step once: \(calls)")
        #expect(calls.filter { $0.action == "scale" }.compactMap(\.value) == [12, 6])
        let ladder = try #require(calls.first { $0.step == 1 })
        #expect(ladder.recordedAt >= end.addingTimeInterval(1 - 0.001), "the ladder not before end + hold: \(ladder.recordedAt) vs \(end)")
    }
}
