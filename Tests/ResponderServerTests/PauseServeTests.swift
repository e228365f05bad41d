import Foundation
import ResponderCore
import ResponderTestSupport
import Testing

/// The real binary with live executors (a command-pair target whose `set` writes a file): pauses set and lifted over
/// the admin API stop and release its steps, survive kill -9, show on the status page and in `/metrics`, and expire by
/// themselves; blast-radius limits from the configuration hold a step for an acknowledgement.
@Suite("pauses and limits against the real binary", .serialized)
struct PauseServeTests {
    /// A target `worker` (count in a file, 3 at first) and the fast ladder: scale to 12, after the resolve 6 then 4.
    struct Setup {
        let folders: ServeFolders
        let target: CommandPairTarget

        init(_ prefix: String) throws {
            folders = try ServeFolders(prefix)
            target = try CommandPairTarget(folder: folders.temporary.path)
            try FastLadder.yaml(levels: [6, 4], name: "emergency", target: target.yaml)
                .write(toFile: folders.playbooks + "/emergency.yaml", atomically: true, encoding: .utf8)
        }

        var replicas: String { target.replicas }
    }

    static func object(_ body: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("a global pause stops every step across a kill -9, shows on the status page and in /metrics; lifting it lets the step run at once")
    func globalPause() async throws {
        let setup = try Setup("pause-serve")
        defer { setup.folders.remove() }
        var server = try await LiveResponder.start(setup.folders)
        do {
            try await Self.globalPause(&server, setup)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    static func globalPause(_ server: inout LiveResponder, _ setup: Setup) async throws {
        let set = try await server.admin(.POST, "/api/pause", json: #"{"reason": "game day", "by": "alice"}"#)
        #expect(set.status == 201, "\(set.body)")
        #expect(Self.object(set.body)["id"] as? String == "pause-1")
        #expect(try await server.postAlertmanager("v4_firing_minimal.json") == 200)
        let id = try await server.eventually("the run to start") { try await server.latestRunID() }
        let blocked = try await server.eventually("the first step to wait for the pause") {
            try await server.run(id).run.steps.first?.blocked
        }
        #expect(blocked.key == "pause-1")
        #expect(setup.replicas == "3", "nothing ran while paused")

        let metrics = try await server.admin(.GET, "/metrics").body
        #expect(metrics.contains(#"responder_paused{scope="global",direction="both"} 1"#), "\(metrics.split(separator: "\n").filter { $0.contains("paused") })")
        #expect(metrics.contains(#"responder_pause_age_seconds{scope="global",direction="both"}"#))
        let page = try await server.admin(.GET, "/").body
        #expect(page.contains("All automation is paused.") && page.contains("game day") && page.contains("pause-1"))
        #expect(page.contains("waiting: paused by pause-1"), "the run's card says why its step waits")

        try await server.killAndRestart()
        let listed = Self.object(try await server.admin(.GET, "/api/pause").body)
        #expect((listed["active"] as? [[String: Any]])?.map { $0["id"] as? String } == ["pause-1"], "the pause is durable: \(listed)")
        try await Task.sleep(for: .milliseconds(500))
        #expect(setup.replicas == "3", "still nothing after the restart")
        let history = try await server.run(id).run.history.map(\.message)
        #expect(history.filter { $0.contains("paused by pause-1") }.count == 1, "told once: \(history)")

        let lifted = try await server.admin(.DELETE, "/api/pause?by=bob")
        #expect(lifted.status == 200, "\(lifted.body)")
        let started = ContinuousClock.now
        try await server.eventually("the scale-up to run once the pause is lifted", limit: .seconds(10)) { setup.replicas == "12" ? true : nil }
        #expect(ContinuousClock.now - started < .seconds(10), "not at the 15 s re-check: the lift re-checks the run")
        let after = Self.object(try await server.admin(.GET, "/api/pause").body)
        let recent = after["recent"] as? [[String: Any]] ?? []
        #expect((after["active"] as? [Any])?.isEmpty == true)
        #expect(recent.first?["lifted_by"] as? String == "bob")
        #expect(try await server.admin(.DELETE, "/api/pause").status == 404, "nothing left to lift")
        let zero = try await server.admin(.GET, "/metrics").body
        #expect(zero.contains(#"responder_paused{scope="global",direction="both"} 0"#))
    }

    @Test("a scale-down pause with an expiry lets the scale-up through and lifts itself; bad bodies are refused")
    func expiringPause() async throws {
        let setup = try Setup("pause-expiry")
        defer { setup.folders.remove() }
        let server = try await LiveResponder.start(setup.folders)
        do {
            try await Self.expiringPause(server, setup)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    static func expiringPause(_ server: LiveResponder, _ setup: Setup) async throws {
        #expect(try await server.admin(.POST, "/api/pause", json: #"{"target": "worker"}"#).status == 400, "a reason is required")
        let unknown = try await server.admin(.POST, "/api/pause", json: #"{"reason": "r", "target": "nope"}"#)
        #expect(unknown.status == 422 && unknown.body.contains("no target named nope"))
        #expect(try await server.admin(.POST, "/api/pause", json: #"{"reason": "r", "for": "2h", "until": "2030-01-01T00:00:00Z"}"#).status == 400)
        // Long enough that the ladder (resolve + 1 s) meets it on a loaded machine; what is checked below is the order
        // of things in the run, not wall-clock spacing.
        let set = try await server.admin(.POST, "/api/pause",
                                         json: #"{"reason": "scale-in freeze", "target": "worker", "direction": "down", "for": "10s"}"#)
        #expect(set.status == 201, "\(set.body)")
        let until = try #require((Self.object(set.body)["until"] as? String).flatMap(RFC3339.parse))

        #expect(try await server.postAlertmanager("v4_firing_minimal.json") == 200)
        try await server.eventually("the scale-up, not covered by a scale-down pause") { setup.replicas == "12" ? true : nil }
        #expect(try await server.postAlertmanager("v4_resolved_minimal.json") == 200)
        try await server.eventually("the ladder after the expiry", limit: .seconds(30)) { setup.replicas == "4" ? true : nil }
        let id = try #require(try await server.latestRunID())
        let run = try await server.run(id).run
        #expect(run.steps[0].finishedAt.map { $0 < until } == true, "the scale-up ran during the pause")
        let ladder = run.steps.filter { $0.phase == .ladder }
        #expect(ladder.first?.startedAt.map { $0 >= until } == true, "the ladder waited for the expiry: \(ladder.map(\.startedAt))")
        let messages = run.history.map(\.message)
        #expect(messages.filter { $0.hasPrefix("paused by pause-1") }.count == 1, "told once: \(messages)")
        #expect(messages.filter { $0.contains("paused by pause-1 no longer stops it") }.count == 1, "and once when it runs: \(messages)")
        let listed = Self.object(try await server.admin(.GET, "/api/pause").body)
        #expect((listed["recent"] as? [[String: Any]])?.first?["lifted_by"] as? String == "expiry")
    }

    @Test("a limit from the configuration holds the run for an acknowledgement that lets the step through")
    func limitHolds() async throws {
        let setup = try Setup("limit-serve")
        defer { setup.folders.remove() }
        let server = try await LiveResponder.start(setup.folders, environment: [
            "RESPONDER_LIMITS_PER_TARGET_ACTIONS": "1", "RESPONDER_LIMITS_PER_TARGET_WINDOW": "1h", "RESPONDER_LIMITS_ON_LIMIT": "hold",
        ])
        do {
            try await Self.limitHolds(server, setup)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    static func limitHolds(_ server: LiveResponder, _ setup: Setup) async throws {
        #expect(try await server.postAlertmanager("v4_firing_minimal.json") == 200)
        try await server.eventually("the scale-up") { setup.replicas == "12" ? true : nil }
        #expect(try await server.postAlertmanager("v4_resolved_minimal.json") == 200)
        let id = try await server.eventually("the run") { try await server.latestRunID() }
        let held = try await server.eventually("the ladder step to wait for an acknowledgement") {
            try await server.run(id).run.steps.first { $0.status == .waitingAck }
        }
        #expect(held.outcome?.contains("the configuration's limit per_target (1 action per 1h on worker)") == true, "\(held.outcome ?? "")")
        #expect(setup.replicas == "12")
        #expect(try await server.admin(.POST, "/api/runs/\(id)/ack").status == 200)
        try await server.eventually("the acknowledged step") { setup.replicas == "6" ? true : nil }
        let next = try await server.eventually("the next step to be held too") {
            try await server.run(id).run.steps.first { $0.status == .waitingAck }
        }
        #expect(next.index == held.index + 1, "an acknowledgement lets one step through, not the rest")
    }
}
