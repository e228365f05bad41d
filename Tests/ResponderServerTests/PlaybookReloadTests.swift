import Foundation
import NIOConcurrencyHelpers
import ResponderCore
import ResponderServer
import Testing

@Suite("plans stored with alerts, and playbook reloads")
struct PlaybookReloadTests {
    static let location = FileLocation(file: "Playbooks/workers.yaml", line: 3)

    static let workers = PlaybookSet(
        targets: ["worker": Target(
            name: "worker", backend: .kubernetes(.init(kind: .deployment, namespace: "prod", name: "worker")),
            bounds: .init(floor: 2, ceiling: 20), location: location
        )],
        playbooks: [Playbook(
            name: "queue-depth-workers", kind: .emergencyScale,
            match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "HighQueueDepth")]),
            actions: [.scale(target: "worker", change: .by(5))], location: location
        )],
        files: ["workers.yaml"]
    )

    @Test("each accepted alert is stored with the plan the active playbooks give it")
    func planStored() async throws {
        try await TestServer.with(playbooks: { .success(Self.workers) }) { server in
            #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
            let stored = try #require(try await server.journal.recentAlerts(limit: 1).first)
            let plan = try PlanJSON.decode(Data(try #require(stored.plan).utf8))
            #expect(plan.matchedPlaybooks == ["queue-depth-workers"])
            let step = try #require(plan.timelines.first?.steps.first)
            #expect(step.target == "worker")
            #expect(step.from == 2 && step.to == 7, "replicas unknown at ingest: from the floor, +5")
        }
    }

    @Test("POST /-/reload needs the admin token; an invalid set is refused and the running one kept")
    func reload() async throws {
        let next = NIOLockedValueBox<Result<PlaybookSet, any Error>>(.success(Self.workers))
        try await TestServer.with(playbooks: { next.withLockedValue { $0 } }) { server in
            let admin = [("Authorization", "Bearer \(TestServer.adminToken)")]
            #expect(try await server.send(.POST, "/-/reload").status == 401)
            #expect(try await server.send(.POST, "/-/reload", headers: [("Authorization", "Bearer \(server.token)")]).status == 401)

            next.withLockedValue { $0 = .failure(ConfigError("Playbooks/workers.yaml:7: unknown key \"scal\"")) }
            let refused = try await server.send(.POST, "/-/reload", headers: admin)
            #expect(refused.status == 422)
            #expect(refused.body.contains("workers.yaml:7: unknown key"))
            #expect(refused.body.contains(#""kept_running_set":true"#))
            let ready = try await server.send(.GET, "/readyz")
            #expect(ready.status == 200)
            #expect(ready.body.contains("running set kept"))
            #expect(await server.playbooks.playbooks == Self.workers)

            next.withLockedValue { $0 = .success(PlaybookSet(targets: [:], playbooks: [], files: [])) }
            let accepted = try await server.send(.POST, "/-/reload", headers: admin)
            #expect(accepted.status == 200)
            #expect(accepted.body.contains(#""playbooks":0"#))
            #expect(await server.playbooks.problems == nil)
        }
    }
}
