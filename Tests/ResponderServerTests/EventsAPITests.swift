import Foundation
import ResponderCore
import ResponderPlaybooks
import ResponderRuntime
import ResponderTestSupport
import Testing

/// The events API over real HTTPS on the test server (the same assembly as `serve`), a real SQLite file and a manual
/// clock: schedule, list, show, move, cancel, the refusals, and the run an event starts when its preparation is due.
@Suite("events API")
struct EventsAPITests {
    static let playbooks = LaunchPlaybook.yaml(lead: "1h", hold: "30m", every: "10m", more: """
          - name: spike
            kind: emergency-scale
            match: {matchers: ['alertname="Spike"']}
            actions:
              - scale: {target: api, by: 2}
        """)

    static let admin = [("Authorization", "Bearer \(TestServer.adminToken)"), ("Content-Type", "application/json")]

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    static func with(_ clock: ManualClock, _ body: @Sendable (TestServer) async throws -> Void) async throws {
        let set = try PlaybookLoader.load(files: [("events.yaml", playbooks)]).get()
        try await TestServer.with(playbooks: { .success(set) }, clock: clock, runs: true) { try await body($0) }
    }

    @Test("schedule, list, show, move and cancel; each refusal says what is wrong")
    func lifecycle() async throws {
        let now = RunSamples.start
        let clock = ManualClock(start: now)
        try await Self.with(clock) { server in
            let post = try await server.send(.POST, "/api/events", body: Array("""
                {"playbook":"launch","name":"Friday launch","start":"2026-01-02T18:00:00+01:00","end":"2026-01-02T22:00:00+01:00",
                 "labels":{"team":"web"},"actor":"alice"}
                """.utf8), headers: Self.admin)
            #expect(post.status == 201, "\(post.body)")
            let created = Self.json(post.body)
            #expect(created["id"] as? String == "evt-1" && created["status"] as? String == "scheduled")
            #expect(created["start"] as? String == "2026-01-02T17:00:00.000Z" && created["prepare_at"] as? String == "2026-01-02T16:00:00.000Z")
            #expect(created["scheduled_by"] as? String == "alice")

            let refusals: [(String, Int, String)] = [
                (#"{"playbook":"nope","name":"x","start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}"#, 404, "pre-event playbooks: launch"),
                (#"{"playbook":"spike","name":"x","start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}"#, 422, "not pre-event"),
                (#"{"playbook":"launch","name":"x","start":"2026-01-03T10:00:00Z","end":"2026-01-03T09:00:00Z"}"#, 422, "must be after the start"),
                (#"{"playbook":"launch","name":"x","start":"2025-12-30T10:00:00Z","end":"2025-12-30T11:00:00Z"}"#, 422, "in the past"),
                (#"{"playbook":"launch","name":"x","start":"2026-01-02T18:00:00Z","end":"2026-01-02T19:00:00Z"}"#, 409, "overlaps evt-1"),
                (#"{"playbook":"launch","name":"x","start":"tomorrow","end":"2026-01-02T19:00:00Z"}"#, 400, "start"),
                (#"{"playbook":"launch","name":"x"}"#, 400, "required"),
                (#"{"playbook":3}"#, 400, "not an event"),
            ]
            for (body, status, says) in refusals {
                let answer = try await server.send(.POST, "/api/events", body: Array(body.utf8), headers: Self.admin)
                #expect(answer.status == status && answer.body.contains(says), "\(body) -> \(answer.status) \(answer.body)")
            }
            #expect(try await server.send(.POST, "/api/events", body: Array("{}".utf8)).status == 401, "admin token required")

            let list = Self.json(try await server.send(.GET, "/api/events", headers: Self.admin).body)
            #expect((list["events"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["evt-1"])

            let moved = try await server.send(.PATCH, "/api/events/evt-1", body: Array(#"{"start":"2026-01-02T19:00:00+01:00"}"#.utf8),
                                              headers: Self.admin)
            #expect(moved.status == 200, "\(moved.body)")
            #expect(Self.json(moved.body)["revision"] as? Int == 2 && Self.json(moved.body)["prepare_at"] as? String == "2026-01-02T17:00:00.000Z")
            #expect(try await server.send(.PATCH, "/api/events/evt-1", body: Array(#"{"end":"2026-01-02T17:00:00Z"}"#.utf8),
                                          headers: Self.admin).status == 422)
            #expect(try await server.send(.GET, "/api/events/evt-9", headers: Self.admin).status == 404)

            let cancelled = try await server.send(.DELETE, "/api/events/evt-1?actor=bob", headers: Self.admin)
            #expect(cancelled.status == 200 && Self.json(cancelled.body)["status"] as? String == "cancelled")
            #expect(Self.json(cancelled.body)["cancelled_by"] as? String == "bob")
            let past = Self.json(try await server.send(.GET, "/api/events?when=past", headers: Self.admin).body)
            #expect((past["events"] as? [[String: Any]])?.count == 1)
            #expect(try await server.send(.PATCH, "/api/events/evt-1", body: Array("{}".utf8), headers: Self.admin).status == 410)
        }
    }

    @Test("at start − lead the event's run starts (status preparing, its run shown); cancelling then aborts the run")
    func preparesAndCancels() async throws {
        let now = RunSamples.start
        let clock = ManualClock(start: now)
        try await Self.with(clock) { server in
            let post = try await server.send(.POST, "/api/events", body: Array("""
                {"playbook":"launch","name":"sale","start":"2026-01-01T03:00:00Z","end":"2026-01-01T05:00:00Z"}
                """.utf8), headers: Self.admin)
            #expect(post.status == 201, "\(post.body)")
            await clock.waitForSleepers(2)
            clock.advance(to: now.addingTimeInterval(2 * 3600))
            var shown: [String: Any] = [:]
            for _ in 0..<500 {
                shown = Self.json(try await server.send(.GET, "/api/events/evt-1", headers: Self.admin).body)
                if (shown["run"] as? [String: Any])?["next_due"] != nil { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(shown["status"] as? String == "preparing", "\(shown)")
            let run = try #require(shown["run"] as? [String: Any])
            #expect(run["playbook"] as? String == "launch" && run["status"] as? String == "active")
            let runID = try #require(run["id"] as? String)

            let cancelled = Self.json(try await server.send(.DELETE, "/api/events/evt-1", headers: Self.admin).body)
            #expect(cancelled["status"] as? String == "cancelled")
            #expect((cancelled["run"] as? [String: Any])?["status"] as? String == "aborted", "\(cancelled)")
            #expect(try await server.runs?.run(id: runID)?.status == .aborted)
        }
    }
}
