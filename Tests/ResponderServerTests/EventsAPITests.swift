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

    /// Schedules `sale` (03:00–05:00, so it prepares at 02:00), advances the clock to 02:00 and returns its run's id
    /// once the run has started.
    static func preparedSale(_ server: TestServer, _ clock: ManualClock) async throws -> String {
        let post = try await server.send(.POST, "/api/events", body: Array("""
            {"playbook":"launch","name":"sale","start":"2026-01-01T03:00:00Z","end":"2026-01-01T05:00:00Z"}
            """.utf8), headers: Self.admin)
        #expect(post.status == 201, "\(post.body)")
        await clock.waitForSleepers(2)
        clock.advance(to: RunSamples.start.addingTimeInterval(2 * 3600))
        var shown: [String: Any] = [:]
        for _ in 0..<500 {
            shown = Self.json(try await server.send(.GET, "/api/events/evt-1", headers: Self.admin).body)
            if (shown["run"] as? [String: Any])?["next_due"] != nil { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(shown["status"] as? String == "preparing", "\(shown)")
        let run = try #require(shown["run"] as? [String: Any])
        #expect(run["playbook"] as? String == "launch" && run["status"] as? String == "active")
        return try #require(run["id"] as? String)
    }

    /// The due time of the first pending ladder step of run `id`, once `until` holds for the run (polled).
    static func run(_ server: TestServer, _ id: String, until: (Run) -> Bool) async throws -> Run? {
        for _ in 0..<500 {
            if let run = try await server.runs?.run(id: id), until(run) { return run }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await server.runs?.run(id: id)
    }

    static func ladderDue(_ run: Run?) -> Date? {
        run?.steps.first { $0.phase == .ladder && $0.status == .pending }?.due
    }

    @Test("a started event keeps its start, its end moves and the run's ladder follows; cancelling starts the ladder now")
    func movesAndCancelsStarted() async throws {
        let now = RunSamples.start
        let clock = ManualClock(start: now)
        try await Self.with(clock) { server in
            let runID = try await Self.preparedSale(server, clock)
            let at = now.addingTimeInterval(2 * 3600)
            let originalDue = Self.ladderDue(try await server.runs?.run(id: runID))
            #expect(originalDue == now.addingTimeInterval(5.5 * 3600), "end 05:00 + hold 30m")

            let start = try await server.send(.PATCH, "/api/events/evt-1", body: Array(#"{"start":"2026-01-01T04:00:00Z"}"#.utf8),
                                              headers: Self.admin)
            #expect(start.status == 409 && start.body.contains("its start stays"), "\(start.status) \(start.body)")
            let moved = try await server.send(.PATCH, "/api/events/evt-1", body: Array(#"{"end":"2026-01-01T04:00:00Z"}"#.utf8),
                                              headers: Self.admin)
            #expect(moved.status == 200 && Self.json(moved.body)["revision"] as? Int == 2, "\(moved.body)")
            let retimed = try await Self.run(server, runID) { Self.ladderDue($0) != originalDue }
            #expect(Self.ladderDue(retimed) == now.addingTimeInterval(4.5 * 3600), "end 04:00 + hold 30m")
            #expect(retimed?.history.last?.message.contains("moved (revision 2)") == true, "\(retimed?.history.last?.message ?? "")")
            #expect(try await server.send(.PATCH, "/api/events/evt-1", body: Array(#"{"end":"2026-01-01T01:00:00Z"}"#.utf8),
                                          headers: Self.admin).status == 422, "an end in the past: cancel instead")

            let cancelled = try await server.send(.DELETE, "/api/events/evt-1?actor=bob", headers: Self.admin)
            #expect(cancelled.status == 200 && Self.json(cancelled.body)["status"] as? String == "cancelled", "\(cancelled.body)")
            let stepping = try await Self.run(server, runID) { Self.ladderDue($0) == at.addingTimeInterval(1800) }
            #expect(Self.ladderDue(stepping) == at.addingTimeInterval(1800), "the ladder starts now + hold")
            #expect(stepping?.status == .active && stepping?.history.last?.message.contains("cancelled by bob") == true)
            #expect(try await server.send(.DELETE, "/api/events/evt-1", headers: Self.admin).status == 410)
            let alerts = try await server.journal.recentAlerts(limit: 10).map(\.alert.idempotencyKey)
            #expect(alerts == ["event/evt-1/r3", "event/evt-1/r2", "event/evt-1/r1"], "one alert per revision: \(alerts)")
            #expect(try await server.runs?.recentRuns(limit: 10).count == 1, "updates never start a second run")
        }
    }

    @Test("cancel=abort stops a started event's run where it stands; an unknown cancel mode is refused")
    func cancelAborts() async throws {
        let clock = ManualClock(start: RunSamples.start)
        try await Self.with(clock) { server in
            let runID = try await Self.preparedSale(server, clock)
            #expect(try await server.send(.DELETE, "/api/events/evt-1?cancel=later", headers: Self.admin).status == 400)
            let cancelled = try await server.send(.DELETE, "/api/events/evt-1?cancel=abort&actor=carol", headers: Self.admin)
            #expect(cancelled.status == 200, "\(cancelled.body)")
            let aborted = try await Self.run(server, runID) { $0.status == .aborted }
            #expect(aborted?.status == .aborted && aborted?.history.last?.message.contains("carol") == true,
                    "\(aborted?.history.last?.message ?? "")")
        }
    }
}
