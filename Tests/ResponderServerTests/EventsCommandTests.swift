import Foundation
import ResponderTestSupport
import Testing

/// `responder events` against the real `responder serve` binary, as an on-call engineer uses it: defaults read from
/// the server's state folder (admin token, certificate), tables for people, JSON for scripts, the server's refusals
/// printed with a failing exit status.
@Suite("responder events (CLI against the real server)")
struct EventsCommandTests {
    static let playbooks = LaunchPlaybook.yaml(lead: "24h", hold: "1h", every: "30m")

    /// Runs `responder events ARGUMENTS --state STATE --url URL` and returns its exit status and output.
    static func events(_ arguments: [String], folders: ServeFolders, port: Int) async throws -> (status: Int32, output: String) {
        let process = try ResponderProcess(arguments: ["events"] + arguments
            + ["--state", folders.state, "--url", "https://localhost:\(port)"], logs: true)
        let status = try await process.waitForExit()
        return (status, process.stdout)
    }

    @Test("schedule with a local time and a zone, list, show as JSON, move, cancel; a refusal exits 1 with the server's reason")
    func lifecycle() async throws {
        let folders = try ServeFolders("events-cli")
        defer { folders.remove() }
        try Self.playbooks.write(toFile: folders.playbooks + "/launch.yaml", atomically: true, encoding: .utf8)
        let (server, port, _) = try await ResponderProcess.serve(folders.serveArguments)
        defer { server.process.terminate() }

        let scheduled = try await Self.events(["schedule", "--playbook", "launch", "--name", "Friday launch",
                                               "--start", "2030-06-14T18:00", "--end", "2030-06-14T23:00", "--tz", "Europe/Berlin",
                                               "--label", "team=web", "--actor", "alice"], folders: folders, port: port)
        #expect(scheduled.status == 0, "\(scheduled.output)")
        #expect(scheduled.output.contains("evt-1") && scheduled.output.contains("scheduled"), "\(scheduled.output)")
        #expect(scheduled.output.contains("2030-06-14T16:00:00.000Z"), "18:00 CEST is 16:00Z: \(scheduled.output)")
        #expect(scheduled.output.contains("2030-06-13T16:00:00.000Z"), "prepared 24 h before: \(scheduled.output)")

        let list = try await Self.events(["list"], folders: folders, port: port)
        #expect(list.status == 0 && list.output.hasPrefix("ID") && list.output.contains("Friday launch"), "\(list.output)")

        let json = try await Self.events(["show", "evt-1", "--format", "json"], folders: folders, port: port)
        let shown = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(shown?["labels"] as? [String: String] == ["team": "web"] && shown?["scheduled_by"] as? String == "alice")

        let moved = try await Self.events(["move", "evt-1", "--end", "2030-06-15T01:00:00+02:00"], folders: folders, port: port)
        #expect(moved.status == 0 && moved.output.contains("2030-06-14T23:00:00.000Z"), "\(moved.output)")

        let refused = try await Self.events(["schedule", "--playbook", "lunch", "--start", "2030-06-20T10:00:00Z",
                                             "--end", "2030-06-20T11:00:00Z"], folders: folders, port: port)
        #expect(refused.status == 1 && refused.output.contains("404: no playbook named lunch"), "\(refused.output)")
        let gap = try await Self.events(["schedule", "--playbook", "launch", "--start", "2030-03-31T02:30", "--end", "2030-03-31T05:00",
                                         "--tz", "Europe/Berlin"], folders: folders, port: port)
        #expect(gap.status == 1 && gap.output.contains("400: start:"), "a local time the clocks skip: \(gap.output)")

        let badMode = try await Self.events(["cancel", "evt-1", "--mode", "later"], folders: folders, port: port)
        #expect(badMode.status != 0, "an unknown cancel mode is refused before anything is sent")
        let cancelled = try await Self.events(["cancel", "evt-1", "--actor", "bob", "--mode", "abort"], folders: folders, port: port)
        #expect(cancelled.status == 0 && cancelled.output.contains("cancelled"), "\(cancelled.output)")
        let upcoming = try await Self.events(["list"], folders: folders, port: port)
        #expect(upcoming.output.contains("no events"), "\(upcoming.output)")
        server.process.terminate()
        _ = try await server.waitForExit()
    }
}
