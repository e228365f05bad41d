import Foundation
import ResponderCore
import ResponderTestSupport
import Testing

/// The real binary with live executors, running seed 003's emergency admin calls (`/admin/config/update`,
/// `/admin/cache/config`, `/admin/rate-limit/update`, each undone by its `/reset`) and a `cleanup:` call against a local
/// endpoint, killed with SIGKILL while an action is in flight and while an undo step is in flight, and restarted on the
/// same state folder; aborted through the API mid-ladder; and aborted with an update in flight, then killed. The undo steps run once, in reverse order, after the
/// ladder, then the cleanup; the only repeat is the call that was in flight at the kill, re-sent once after the
/// restart with the same request.
///
/// What the code guarantees for an `http` step in flight at a kill: it is `running` in the store (a step is committed
/// as running before it starts), so the restart marks it for a re-check and carries it out again; an `http` step has
/// nothing to re-check, so the request is sent a second time. `HTTPCallRunner` sends no idempotency header, so the
/// endpoint cannot tell the repeat from a new call: the tests make the repeat certain (the endpoint holds its answer
/// to the first copy) and check it is byte-for-byte the same request, carrying the same idempotency key if one is
/// ever sent.
@Suite("crash recovery of undo steps (kill -9 during the actions and the undo, abort mid-ladder)", .serialized)
struct UndoCrashRecoveryTests {
    /// A command-pair target `worker` whose `get` prints the count in `replicas` and whose `set` writes it, and the
    /// emergency playbook: scale to 12, the three admin calls with their undo, `/admin/report` as cleanup, and after
    /// the resolve a ladder 6 → 4 (1 s hold, then every 2 s).
    static func playbook(script: String, port: Int) -> String {
        let admin = "http://127.0.0.1:\(port)/admin"
        return """
            targets:
              - name: worker
                command:
                  get: ["\(script)", get]
                  set: ["\(script)", set, "{replicas}"]
                bounds: {floor: 2, ceiling: 20}
            playbooks:
              - name: emergency-admin
                kind: emergency-scale
                match: {matchers: ['alertname="HighQueueDepth"']}
                actions:
                  - scale: {target: worker, to: 12}
                  - http:
                      method: POST
                      url: \(admin)/config/update
                      json: {queue_enabled: true, queue_max_size: 10000}
                      undo:
                        http: {method: POST, url: \(admin)/config/reset}
                  - http:
                      method: POST
                      url: \(admin)/cache/config
                      json: {ttl: 3600, aggressive: true}
                      undo:
                        http: {method: POST, url: \(admin)/cache/reset}
                  - http:
                      method: POST
                      url: \(admin)/rate-limit/update
                      json: {requests_per_minute: 500, burst: 1000}
                      undo:
                        http: {method: POST, url: \(admin)/rate-limit/reset}
                step_down:
                  hold: 1s
                  every: 2s
                  levels:
                    worker: [6, 4]
                cleanup:
                  - http: {method: POST, url: \(admin)/report, json: {report: emergency-admin}}
                cooldown: 0s
            """
    }

    static let updates = ["/admin/config/update", "/admin/cache/config", "/admin/rate-limit/update"]
    /// The undo steps in the order they must run: the actions' undos in reverse, then the cleanup.
    static let undos = ["/admin/rate-limit/reset", "/admin/cache/reset", "/admin/config/reset", "/admin/report"]
    /// Step indices: 0 scale, 1–3 the admin updates, 4–5 the ladder, 6–9 the undo steps.
    static let ladder = 4...5

    /// A state folder, a playbooks folder holding the playbook for the endpoint on `port`, and the target's script,
    /// with `worker` at 3 replicas.
    struct Setup {
        let folders: ServeFolders
        var replicasFile: String { folders.temporary.path + "/replicas" }

        init(_ prefix: String, port: Int) throws {
            folders = try ServeFolders(prefix)
            let target = try CommandPairTarget(folder: folders.temporary.path)
            try UndoCrashRecoveryTests.playbook(script: target.script, port: port)
                .write(toFile: folders.playbooks + "/emergency.yaml", atomically: true, encoding: .utf8)
        }

        var replicas: String { (try? String(contentsOfFile: replicasFile, encoding: .utf8)) ?? "" }
    }

    /// Holds the answer to the first request for `path` for `seconds` (so a kill finds it in flight); every other
    /// request is answered at once.
    static func holdFirst(_ path: String, for seconds: Int) -> @Sendable (FakeHTTPEndpoint.Hit, [FakeHTTPEndpoint.Hit]) -> Duration? {
        { hit, earlier in
            hit.path == path && !earlier.contains { $0.path == path } ? .seconds(seconds) : nil
        }
    }

    /// Fires the alert and waits for the run to appear; returns its id.
    static func fire(_ server: LiveResponder) async throws -> String {
        #expect(try await server.postAlertmanager("v4_firing_minimal.json") == 200)
        return try await server.eventually("the run to start") { try await server.latestRunID() }
    }

    /// Waits until the run has ended (no longer active) and returns it.
    static func ended(_ id: String, _ server: LiveResponder) async throws -> Run {
        try await server.eventually("run \(id) to end", limit: .seconds(30)) {
            let run = try await server.run(id).run
            return run.status == .active || run.status == .held ? nil : run
        }
    }

    /// Every request the endpoint saw must be a POST with the same body and idempotency header (when one is sent) as
    /// the other requests for its path, and every undo must have arrived after the last ladder step that ran finished.
    static func checkRequests(_ hits: [FakeHTTPEndpoint.Hit], run: Run) {
        for (path, same) in Dictionary(grouping: hits, by: \.path) {
            #expect(same.allSatisfy { $0.method == "POST" }, "\(path): \(same.map(\.method))")
            #expect(Set(same.map(\.body)).count == 1, "a repeat of \(path) is the same request: \(same.map(\.body))")
            let keys = same.map { hit in hit.headers.first { $0.key.contains("idempotency") }?.value }
            #expect(Set(keys).count == 1, "a repeat of \(path) carries the same idempotency key: \(keys)")
        }
        #expect(hits.first { $0.path == "/admin/rate-limit/update" }?.body == #"{"burst":1000,"requests_per_minute":500}"#
                || hits.first { $0.path == "/admin/rate-limit/update" }?.body == #"{"requests_per_minute":500,"burst":1000}"#,
                "the playbook's JSON body: \(hits.first { $0.path == "/admin/rate-limit/update" }?.body ?? "none")")
        let lastLadder = run.steps.filter { $0.phase == .ladder && $0.status == .done }.compactMap(\.finishedAt).max()
        for hit in hits where undos.contains(hit.path) {
            if let lastLadder {
                #expect(hit.at >= lastLadder.addingTimeInterval(-0.001), "\(hit.path) at \(hit.at), before the ladder ended at \(lastLadder)")
            }
        }
        let undoSteps = run.steps.filter { $0.phase == .undo }
        #expect(undoSteps.map(\.undoes) == [3, 2, 1, nil], "undo steps: \(undoSteps.map(\.detail))")
        #expect(undoSteps.allSatisfy { $0.status == .done }, "undo outcomes: \(undoSteps.map { $0.outcome ?? "" })")
    }

    @Test("kill -9 with an admin update in flight: each update once (the one in flight re-sent once, the same request), each reset once in reverse after the ladder, then the cleanup")
    func killDuringActions() async throws {
        let endpoint = FakeHTTPEndpoint()
        try await endpoint.run(status: .noContent, delay: Self.holdFirst("/admin/rate-limit/update", for: 3)) { port in
            let setup = try Setup("undo-crash-a", port: port)
            defer { setup.folders.remove() }
            var server = try await LiveResponder.start(setup.folders)
            do {
                let id = try await Self.fire(server)
                try await server.eventually("the three update calls") {
                    Set(endpoint.recorded.map(\.path)).isSuperset(of: Self.updates) ? true : nil
                }
                let before = try await server.run(id).run
                #expect(before.steps[1...2].allSatisfy { $0.status == .done } && before.steps[3].status == .running,
                        "the rate-limit update is in flight: \(before.steps.map(\.status))")
                try await server.killAndRestart()
                try await server.eventually("the rate-limit update re-sent after the restart") {
                    endpoint.recorded.filter { $0.path == "/admin/rate-limit/update" }.count == 2 ? true : nil
                }
                #expect(try await server.postAlertmanager("v4_resolved_minimal.json") == 200)
                let run = try await Self.ended(id, server)
                await server.stop()

                let hits = endpoint.recorded
                #expect(hits.map(\.path) == Self.updates + ["/admin/rate-limit/update"] + Self.undos,
                        "each update once, the one in flight twice, the resets in reverse, then the cleanup")
                Self.checkRequests(hits, run: run)
                #expect(run.status == .completed && run.closing == .completed, "\(run.status) \(String(describing: run.closing))")
                #expect(run.steps[3].attempts == 2, "the update in flight was carried out again after the restart")
                #expect(run.steps.filter { $0.phase != .undo }.allSatisfy { $0.status == .done },
                        "outcomes: \(run.steps.map { "\($0.index) \($0.status.rawValue) \($0.outcome ?? "")" })")
                #expect(setup.replicas == "4\n", "the ladder reached 4")
            } catch {
                await server.stop()
                throw error
            }
        }
    }

    @Test("kill -9 with an undo step in flight: no reset lost, the one in flight re-sent once (the same request), the run ends completed")
    func killDuringUndo() async throws {
        let endpoint = FakeHTTPEndpoint()
        try await endpoint.run(status: .noContent, delay: Self.holdFirst("/admin/cache/reset", for: 4)) { port in
            let setup = try Setup("undo-crash-b", port: port)
            defer { setup.folders.remove() }
            var server = try await LiveResponder.start(setup.folders)
            do {
                let id = try await Self.fire(server)
                try await server.eventually("the actions to finish") {
                    try await server.run(id).run.steps[0...3].allSatisfy { $0.status == .done } ? true : nil
                }
                #expect(try await server.postAlertmanager("v4_resolved_minimal.json") == 200)
                try await server.eventually("the cache reset in flight") {
                    endpoint.recorded.contains { $0.path == "/admin/cache/reset" } ? true : nil
                }
                let (closing, json) = try await server.run(id)
                #expect(closing.status == .active && closing.closing == .completed, "\(closing.status) \(String(describing: closing.closing))")
                #expect(json["closing"] as? String == "completed", "the API shows the run closing: \(json["closing"] ?? "absent")")
                #expect(json["status"] as? String == "active")
                #expect(closing.steps[6].status == .done && closing.steps[7].status == .running,
                        "rate-limit reset done, cache reset running: \(closing.steps.map(\.status))")

                try await server.killAndRestart()
                let run = try await Self.ended(id, server)
                await server.stop()

                let hits = endpoint.recorded
                #expect(hits.map(\.path) == Self.updates + ["/admin/rate-limit/reset", "/admin/cache/reset", "/admin/cache/reset",
                                                            "/admin/config/reset", "/admin/report"],
                        "no reset lost, only the one in flight repeated, then the cleanup")
                Self.checkRequests(hits, run: run)
                #expect(run.status == .completed && run.closing == .completed, "\(run.status) \(String(describing: run.closing))")
                #expect(run.steps[7].attempts == 2, "the undo in flight was carried out again after the restart")
                #expect(setup.replicas == "4\n", "the ladder reached 4")
            } catch {
                await server.stop()
                throw error
            }
        }
    }

    @Test("abort through the API mid-ladder: the rest of the ladder is cancelled, each reset once in reverse, then the cleanup; the run ends aborted")
    func abortMidLadder() async throws {
        let endpoint = FakeHTTPEndpoint()
        try await endpoint.run(status: .noContent) { port in
            let setup = try Setup("undo-crash-c", port: port)
            defer { setup.folders.remove() }
            let server = try await LiveResponder.start(setup.folders)
            do {
                let id = try await Self.fire(server)
                try await server.eventually("the actions to finish") {
                    try await server.run(id).run.steps[0...3].allSatisfy { $0.status == .done } ? true : nil
                }
                #expect(try await server.postAlertmanager("v4_resolved_minimal.json") == 200)
                try await server.eventually("the first ladder step") {
                    try await server.run(id).run.steps[4].status == .done ? true : nil
                }
                let (status, body) = try await server.admin(.POST, "/api/runs/\(id)/abort?actor=alice")
                #expect(status == 200, "\(body)")
                let run = try await Self.ended(id, server)
                // A second abort on the ended run is refused.
                #expect(try await server.admin(.POST, "/api/runs/\(id)/abort").status == 410)
                await server.stop()

                let hits = endpoint.recorded
                #expect(hits.map(\.path) == Self.updates + Self.undos, "each update once, each reset once in reverse, then the cleanup")
                Self.checkRequests(hits, run: run)
                #expect(run.status == .aborted && run.closing == .aborted, "\(run.status) \(String(describing: run.closing))")
                #expect(run.steps[5].status == .cancelled, "the rest of the ladder: \(run.steps[5].status) \(run.steps[5].outcome ?? "")")
                #expect(run.history.contains { $0.message.contains("aborted by alice") })
                #expect(setup.replicas == "6\n", "the ladder stopped at 6")
            } catch {
                await server.stop()
                throw error
            }
        }
    }
}

extension UndoCrashRecoveryTests {
    @Test("abort with an admin update in flight, then kill -9: the update's undo still runs, each reset once, then the cleanup")
    func abortThenKillWithActionInFlight() async throws {
        let endpoint = FakeHTTPEndpoint()
        try await endpoint.run(status: .noContent, delay: Self.holdFirst("/admin/rate-limit/update", for: 4)) { port in
            let setup = try Setup("undo-crash-d", port: port)
            defer { setup.folders.remove() }
            var server = try await LiveResponder.start(setup.folders)
            do {
                let id = try await Self.fire(server)
                try await server.eventually("the rate-limit update in flight") {
                    endpoint.recorded.contains { $0.path == "/admin/rate-limit/update" } ? true : nil
                }
                #expect(try await server.admin(.POST, "/api/runs/\(id)/abort?actor=alice").status == 200)
                let closing = try await server.run(id).run
                #expect(closing.closing == .aborted && closing.steps[3].status == .running)
                try await server.killAndRestart()
                let run = try await Self.ended(id, server)
                await server.stop()
                let hits = endpoint.recorded
                // The update in flight at the kill is not sent again: the run had ended, its outcome is unknown, so
                // its reset runs (RunEngine.abandon) instead of a repeat that could fail and skip the reset.
                #expect(hits.map(\.path) == Self.updates + Self.undos,
                        "each update once, each reset once in reverse, then the cleanup")
                #expect(run.steps[3].status == .cancelled && run.steps[3].outcome?.contains("outcome unknown") == true)
                Self.checkRequests(hits, run: run)
                let reset = try #require(hits.firstIndex { $0.path == "/admin/rate-limit/reset" })
                #expect(hits.lastIndex { $0.path == "/admin/rate-limit/update" }.map { $0 < reset } == true)
                #expect(run.status == .aborted && run.closing == .aborted, "\(run.status) \(String(describing: run.closing))")
                #expect(run.steps[4...5].allSatisfy { $0.status == .cancelled }, "the ladder never ran")
                #expect(setup.replicas == "12\n", "the ladder never ran")
            } catch {
                await server.stop()
                throw error
            }
        }
    }
}
