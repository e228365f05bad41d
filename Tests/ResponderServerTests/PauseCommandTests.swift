import Foundation
import ResponderTestSupport
import Testing

/// `responder pause` against the real `responder serve` binary: defaults read from the server's state folder, tables
/// for people, JSON for scripts, the server's refusals printed with a failing exit status.
@Suite("responder pause (CLI against the real server)")
struct PauseCommandTests {
    /// Runs `responder pause ARGUMENTS --state STATE --url URL` and returns its exit status and output.
    static func pause(_ arguments: [String], folders: ServeFolders, port: Int) async throws -> (status: Int32, output: String) {
        let process = try ResponderProcess(arguments: ["pause"] + arguments
            + ["--state", folders.state, "--url", "https://localhost:\(port)"], logs: true)
        let status = try await process.waitForExit()
        return (status, process.stdout)
    }

    @Test("set on a target for a time, set global, list, lift by id and by scope; refusals exit 1 with the server's reason")
    func lifecycle() async throws {
        let folders = try ServeFolders("pause-cli")
        defer { folders.remove() }
        try FastLadder.yaml(levels: [6]).write(toFile: folders.playbooks + "/fast.yaml", atomically: true, encoding: .utf8)
        let (server, port, _) = try await ResponderProcess.serve(folders.serveArguments)
        defer { server.process.terminate() }

        let scoped = try await Self.pause(["set", "--target", "worker", "--direction", "down", "--for", "3d", "--reason", "payments migration",
                                           "--actor", "alice"], folders: folders, port: port)
        #expect(scoped.status == 0 && scoped.output.hasPrefix("ID"), "\(scoped.output)")
        #expect(scoped.output.contains("pause-1") && scoped.output.contains("target:worker") && scoped.output.contains("in force"))
        let global = try await Self.pause(["set", "--reason", "game day", "--mode", "skip", "--format", "json"], folders: folders, port: port)
        let object = try JSONSerialization.jsonObject(with: Data(global.output.utf8)) as? [String: Any]
        #expect(object?["id"] as? String == "pause-2" && object?["scope"] as? String == "global" && object?["mode"] as? String == "skip")

        let list = try await Self.pause(["list"], folders: folders, port: port)
        #expect(list.output.contains("pause-1") && list.output.contains("pause-2"), "\(list.output)")
        let byID = try await Self.pause(["lift", "pause-2", "--actor", "bob"], folders: folders, port: port)
        #expect(byID.status == 0 && byID.output.contains("lifted by bob"), "\(byID.output)")
        let byScope = try await Self.pause(["lift", "--target", "worker", "--direction", "down"], folders: folders, port: port)
        #expect(byScope.status == 0 && byScope.output.contains("pause-1"), "\(byScope.output)")

        let unknown = try await Self.pause(["set", "--target", "nope", "--reason", "typo"], folders: folders, port: port)
        #expect(unknown.status == 1 && unknown.output.contains("422: no target named nope"), "\(unknown.output)")
        let nothing = try await Self.pause(["lift"], folders: folders, port: port)
        #expect(nothing.status == 1 && nothing.output.contains("404: no pause in force matches"), "\(nothing.output)")
        let both = try await Self.pause(["set", "--reason", "r", "--for", "1h", "--until", "2030-01-01T00:00:00Z"], folders: folders, port: port)
        #expect(both.status != 0, "--for and --until together are refused before anything is sent")
        let after = try await Self.pause(["list", "--format", "json"], folders: folders, port: port)
        let listed = try JSONSerialization.jsonObject(with: Data(after.output.utf8)) as? [String: Any]
        #expect((listed?["active"] as? [Any])?.isEmpty == true && (listed?["recent"] as? [Any])?.count == 2)
        server.process.terminate()
        _ = try await server.waitForExit()
    }
}
