import Foundation
import ResponderTestSupport
import Testing

/// `responder runs report` against the real `responder serve` binary.
@Suite("responder runs report (CLI against the real server)")
struct RunsReportCommandTests {
    @Test("Markdown by default, JSON with --format json; an unknown run exits 1 with the server's 404")
    func report() async throws {
        let folders = try ServeFolders("runs-report-cli")
        defer { folders.remove() }
        try RunsCommandTests.playbooks.write(toFile: folders.playbooks + "/fast.yaml", atomically: true, encoding: .utf8)
        let (server, port, _) = try await ResponderProcess.serve(folders.serveArguments)
        defer { server.process.terminate() }

        #expect(try await folders.postAlertmanager("v4_firing_minimal.json", port: port) == 200)
        for _ in 0..<100 {
            let detail = try await RunsCommandTests.detail("run-1", folders: folders, port: port)
            let steps = (detail["run"] as? [String: Any])?["steps"] as? [[String: Any]]
            if steps?.first?["status"] as? String == "done" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let aborted = try await RunsCommandTests.runs(["abort", "run-1", "--actor", "alice"], folders: folders, port: port)
        #expect(aborted.status == 0, "\(aborted.output)")

        let markdown = try await RunsCommandTests.runs(["report", "run-1"], folders: folders, port: port)
        #expect(markdown.status == 0, "\(markdown.output)")
        #expect(markdown.output.hasPrefix("# Scaling report: run-1 (fast-ladder)\n"), "\(markdown.output)")
        #expect(markdown.output.contains("- Dry-run: yes"), "\(markdown.output)")
        #expect(markdown.output.contains("- Aborted by alice at "), "\(markdown.output)")
        #expect(markdown.output.contains("| Time | Step | Phase | Target | Action | From → to | By |"), "\(markdown.output)")
        #expect(markdown.output.contains("→ 12 | responder (alert HighQueueDepth) |"), "\(markdown.output)")

        let json = try await RunsCommandTests.runs(["report", "run-1", "--format", "json"], folders: folders, port: port)
        #expect(json.status == 0, "\(json.output)")
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["run_id"] as? String == "run-1" && object?["state"] as? String == "aborted", "\(json.output)")
        #expect((object?["targets"] as? [[String: Any]])?.first?["peak"] as? Int == 12, "\(json.output)")

        let unknown = try await RunsCommandTests.runs(["report", "run-9"], folders: folders, port: port)
        #expect(unknown.status == 1 && unknown.output.contains("404: no run run-9"), "\(unknown.output)")
    }
}
