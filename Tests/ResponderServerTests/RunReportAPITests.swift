import Foundation
import ResponderCore
import ResponderTestSupport
import Testing

@Suite("GET /api/runs/{id}/report over HTTPS: JSON and Markdown, behind the admin token")
struct RunReportAPITests {
    @Test("an open run's report so far, then the ended run's; Markdown by query or Accept; 404 and 401")
    func report() async throws {
        try await TestServer.with(playbooks: { .success(RunsAPITests.playbooks) }, runs: true) { server in
            let admin = [("Authorization", "Bearer \(TestServer.adminToken)")]
            #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
            _ = try await RunsAPITests.waitForRun(server)

            #expect(try await server.send(.GET, "/api/runs/run-1/report").status == 401)
            #expect(try await server.send(.GET, "/api/runs/run-1/report", headers: [("Authorization", "Bearer nope")]).status == 401)
            #expect(try await server.send(.GET, "/api/runs/run-9/report", headers: admin).status == 404)
            #expect(try await server.send(.GET, "/api/runs/run-1/report?format=pdf", headers: admin).status == 400)

            let open = try await server.send(.GET, "/api/runs/run-1/report", headers: admin)
            #expect(open.status == 200)
            #expect(open.headers.first(name: "Content-Type")?.hasPrefix("application/json") == true)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(open.body.utf8)) as? [String: Any])
            for key in ["run_id", "playbook", "state", "ended", "started_at", "as_of", "duration_seconds", "changes", "targets",
                        "checks", "undo", "problems", "people", "dry_run"] {
                #expect(object[key] != nil, "\(key): \(open.body)")
            }
            #expect(object["ended"] as? Bool == false && object["state"] as? String == "active")
            let changes = try #require(object["changes"] as? [[String: Any]])
            #expect(changes.first?["from"] as? Int == 2 && changes.first?["to"] as? Int == 7, "\(changes)")
            #expect(changes.first?["by"] as? String == "responder (alert HighQueueDepth)")
            let startedAt = try #require(object["started_at"] as? String)
            #expect(RFC3339.parse(startedAt) != nil, "RFC 3339: \(startedAt)")

            #expect(try await server.send(.POST, "/api/runs/run-1/abort?actor=alice", headers: admin).status == 200)
            let markdown = try await server.send(.GET, "/api/runs/run-1/report?format=markdown", headers: admin)
            #expect(markdown.status == 200)
            #expect(markdown.headers.first(name: "Content-Type") == "text/markdown; charset=utf-8")
            #expect(markdown.body.hasPrefix("# Scaling report: run-1 (queue-depth-workers)\n"), "\(markdown.body)")
            #expect(markdown.body.contains("**aborted** after"), "\(markdown.body)")
            #expect(markdown.body.contains("- Aborted by alice at "), "\(markdown.body)")
            #expect(markdown.body.contains("| worker | 2 | 7 | 7 |"), "\(markdown.body)")
            let accepted = try await server.send(.GET, "/api/runs/run-1/report", headers: admin + [("Accept", "text/markdown")])
            #expect(accepted.body == markdown.body)
        }
    }
}
