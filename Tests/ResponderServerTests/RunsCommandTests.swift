import Foundation
import ResponderTestSupport
import Testing

/// `responder runs` against the real `responder serve` binary, as an on-call engineer uses it: a real Alertmanager
/// webhook starts a run, the CLI lists it, shows it and steers it with the defaults read from the server's state
/// folder; the server's refusals are printed with a failing exit status.
@Suite("responder runs (CLI against the real server)")
struct RunsCommandTests {
    /// Scale `worker` to 12 at once, then a ladder anchored at the resolve: no resolve is sent, so the run stays open
    /// with its ladder step pending for as long as the test steers it.
    static let playbooks = FastLadder.yaml(levels: [6])

    /// Runs `responder runs ARGUMENTS --state STATE --url URL` (with `USER` set to `user`) and returns its exit status
    /// and output, standard error included.
    static func runs(_ arguments: [String], folders: ServeFolders, port: Int, user: String = "oncall")
        async throws -> (status: Int32, output: String) {
        let process = try ResponderProcess(arguments: ["runs"] + arguments + ["--state", folders.state, "--url", "https://localhost:\(port)"],
                                           environment: ["USER": user], logs: true)
        let status = try await process.waitForExit()
        return (status, process.stdout)
    }

    /// The columns of the table line for `id` in `output` (cells hold no spaces up to ACKED BY).
    static func row(_ id: String, in output: String) -> [String] {
        let line = output.split(separator: "\n").first { $0.hasPrefix(id + " ") }
        return line.map { $0.split(separator: " ").map(String.init) } ?? []
    }

    /// `runs show ID --format json`, parsed.
    static func detail(_ id: String, folders: ServeFolders, port: Int) async throws -> [String: Any] {
        let shown = try await runs(["show", id, "--format", "json"], folders: folders, port: port)
        #expect(shown.status == 0, "\(shown.output)")
        return try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any] ?? [:]
    }

    @Test("list, show as a table and as JSON, hold, resume, ack, abort; refusals exit 1 with the server's 404, 409 and 410")
    func lifecycle() async throws {
        let folders = try ServeFolders("runs-cli")
        defer { folders.remove() }
        try Self.playbooks.write(toFile: folders.playbooks + "/fast.yaml", atomically: true, encoding: .utf8)
        let (server, port, _) = try await ResponderProcess.serve(folders.serveArguments)
        defer { server.process.terminate() }

        let empty = try await Self.runs(["list"], folders: folders, port: port)
        #expect(empty.status == 0 && empty.output == "no runs\n", "\(empty.output)")

        #expect(try await folders.postAlertmanager("v4_firing_minimal.json", port: port) == 200)
        // The alert reaches the engine through the ingest loop: wait until the run's first step (the scale) is done.
        var detail: [String: Any] = [:]
        for _ in 0..<100 {
            detail = try await Self.detail("run-1", folders: folders, port: port)
            let steps = (detail["run"] as? [String: Any])?["steps"] as? [[String: Any]]
            if steps?.first?["status"] as? String == "done" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let summary = try #require(detail["summary"] as? [String: Any], "\(detail)")
        #expect(summary["id"] as? String == "run-1" && summary["status"] as? String == "active")
        let steps = try #require((detail["run"] as? [String: Any])?["steps"] as? [[String: Any]])
        #expect(steps.map { $0["phase"] as? String } == ["actions", "ladder"], "\(steps)")
        #expect(steps.map { $0["status"] as? String } == ["done", "pending"], "\(steps)")

        let list = try await Self.runs(["list"], folders: folders, port: port)
        #expect(list.status == 0, "\(list.output)")
        #expect(list.output.hasPrefix("ID     STATUS  PLAYBOOK     ALERT           TARGETS  STARTED"), "\(list.output)")
        let listed = Self.row("run-1", in: list.output)
        #expect(Array(listed.prefix(5)) == ["run-1", "active", "fast-ladder", "HighQueueDepth", "worker"], "\(list.output)")
        #expect(listed.count > 6 && listed[6] == "-", "nobody acknowledged yet: \(list.output)")
        #expect(list.output.contains("-         1: replicas 12 -> 6 (pending)\n"), "the next step: \(list.output)")

        let shown = try await Self.runs(["show", "run-1"], folders: folders, port: port)
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.hasPrefix("run run-1\n"), "\(shown.output)")
        #expect(shown.output.contains("playbook:         fast-ladder (emergency-scale, dry run)"), "\(shown.output)")
        #expect(shown.output.contains("INDEX  PHASE    STATUS   DUE"), "\(shown.output)")
        #expect(shown.output.contains(/\n  1 +ladder +pending +- +worker +replicas 12 -> 6 +-\n/), "the ladder step waits for the resolve: \(shown.output)")
        #expect(shown.output.contains("started by alert HighQueueDepth"), "the history: \(shown.output)")

        let held = try await Self.runs(["hold", "run-1", "--actor", "alice"], folders: folders, port: port)
        #expect(held.status == 0 && Self.row("run-1", in: held.output).dropFirst().first == "held", "\(held.output)")
        let open = try await Self.runs(["list", "--open"], folders: folders, port: port)
        #expect(Self.row("run-1", in: open.output).dropFirst().first == "held", "a held run is open: \(open.output)")

        let resumed = try await Self.runs(["resume", "run-1", "--actor", "bob"], folders: folders, port: port)
        #expect(resumed.status == 0 && Self.row("run-1", in: resumed.output).dropFirst().first == "active", "\(resumed.output)")
        let again = try await Self.runs(["resume", "run-1"], folders: folders, port: port)
        #expect(again.status == 1 && again.output.contains("409: run run-1 is not held"), "\(again.output)")

        let acked = try await Self.runs(["ack", "run-1"], folders: folders, port: port, user: "carol")
        #expect(acked.status == 0 && Self.row("run-1", in: acked.output).dropFirst(6).first == "carol", "$USER acts: \(acked.output)")
        let afterAck = try await Self.detail("run-1", folders: folders, port: port)
        #expect((afterAck["summary"] as? [String: Any])?["acknowledged_by"] as? String == "carol")
        let history = ((afterAck["run"] as? [String: Any])?["history"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(history.contains("held by alice: no step fires until resumed"), "\(history)")
        #expect(history.contains { $0.hasPrefix("resumed by bob") }, "\(history)")

        let aborted = try await Self.runs(["abort", "run-1", "--actor", "dave"], folders: folders, port: port)
        #expect(aborted.status == 0 && Self.row("run-1", in: aborted.output).dropFirst().first == "aborted", "\(aborted.output)")
        let ended = try await Self.runs(["abort", "run-1"], folders: folders, port: port)
        #expect(ended.status == 1 && ended.output.contains("410: run run-1 has ended (aborted)"), "\(ended.output)")
        let noneOpen = try await Self.runs(["list", "--open"], folders: folders, port: port)
        #expect(noneOpen.status == 0 && noneOpen.output == "no open runs\n", "\(noneOpen.output)")
        let openJSON = try await Self.runs(["list", "--open", "--format", "json"], folders: folders, port: port)
        let openRuns = try JSONSerialization.jsonObject(with: Data(openJSON.output.utf8)) as? [String: Any]
        #expect((openRuns?["runs"] as? [Any])?.isEmpty == true, "--open filters the JSON too: \(openJSON.output)")
        let all = try await Self.runs(["list", "--format", "json"], folders: folders, port: port)
        #expect(all.output.contains(#""status":"aborted""#), "\(all.output)")

        let unknown = try await Self.runs(["show", "run-9"], folders: folders, port: port)
        #expect(unknown.status == 1 && unknown.output.contains("404: no run run-9"), "\(unknown.output)")
        // Escaped, `run-1/abort` reaches the ack route as one id (the server names it as it came); unescaped it would
        // be the path of no route, answered 404 without that text.
        let slash = try await Self.runs(["ack", "run-1/abort"], folders: folders, port: port)
        #expect(slash.status == 1 && slash.output.contains("404: no run run-1%2Fabort"), "one path segment: \(slash.output)")
        server.process.terminate()
        _ = try await server.waitForExit()
    }
}
