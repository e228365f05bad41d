import Foundation
import ResponderCore
import ResponderPostgres
import ResponderStore
import Testing

@Suite("PostgreSQL dry-run ledger")
struct PostgresDryRunLedgerTests {
    static func call(_ runID: String, step: Int, target: String? = "worker", action: String = "scale", value: Int? = 9,
                     request: String = "scale worker to 9") -> RecordedCall {
        RecordedCall(id: 0, runID: runID, step: step, attempt: 1, idempotencyKey: "\(runID)/step-\(step)/attempt-1", target: target,
                     action: action, value: value, request: request, recordedAt: Fixtures.start)
    }

    @Test("a step recorded at once by two replicas gives one row and one result")
    func recordOnceConcurrently() async throws {
        try await Fixtures.withStores(2) { stores in
            let results = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<10 {
                    let store = stores[index % 2]
                    group.addTask {
                        try await store.recordOnce(runID: "run-1", step: 0) { _ in (Self.call("run-1", step: 0), "replica \(index % 2)") }
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(results.compactMap { $0 }.count == 1)
            let calls = try await stores[0].recordedCalls(runID: "run-1")
            #expect(calls.count == 1)
            #expect(calls.first?.idempotencyKey == "run-1/step-0/attempt-1" && calls.first?.recordedAt == Fixtures.start)
            #expect(try await stores[1].recordOnce(runID: "run-1", step: 0) { _ in (Self.call("run-1", step: 0), "again") } == nil)
        }
    }

    @Test("a refused step records nothing and can be rendered again; recorded calls read back in order")
    func refusedAndOrder() async throws {
        try await Fixtures.withStore { store in
            #expect(try await store.recordOnce(runID: "run-1", step: 0) { _ in (nil, "refused") } == "refused")
            #expect(try await store.recordedCalls(runID: nil).isEmpty)
            _ = try await store.recordOnce(runID: "run-2", step: 0) { _ in (Self.call("run-2", step: 0), 1) }
            _ = try await store.recordOnce(runID: "run-1", step: 0) { _ in
                (Self.call("run-1", step: 0, target: nil, action: "notify", value: nil, request: "hello"), 2)
            }
            let calls = try await store.recordedCalls(runID: nil)
            #expect(calls.map(\.runID) == ["run-2", "run-1"])
            #expect(calls[1].target == nil && calls[1].value == nil && calls[1].request == "hello")
            #expect(try await store.recordedCalls(runID: "run-1").map(\.action) == ["notify"])
        }
    }

    @Test("the last recorded scale of each target")
    func lastScaled() async throws {
        try await Fixtures.withStore { store in
            _ = try await store.recordOnce(runID: "run-1", step: 0) { _ in (Self.call("run-1", step: 0, value: 9), ()) }
            _ = try await store.recordOnce(runID: "run-1", step: 1) { _ in (Self.call("run-1", step: 1, value: 5), ()) }
            _ = try await store.recordOnce(runID: "run-2", step: 0) { _ in (Self.call("run-2", step: 0, target: "api", value: 2), ()) }
            _ = try await store.recordOnce(runID: "run-2", step: 1) { _ in
                (Self.call("run-2", step: 1, target: "api", action: "autoscaler", value: nil, request: "min 3"), ())
            }
            #expect(try await store.lastScaled(targets: ["worker", "api", "other", "worker"]) == ["worker": 5, "api": 2])
            #expect(try await store.lastScaled(targets: []) == [:])
        }
    }

    @Test("the template is the run's alert, its firing version preferred; nil without run or alert")
    func template() async throws {
        try await Fixtures.withStore { store in
            _ = try await store.record(Fixtures.delivery(), alerts: [Fixtures.alert("fp-1", labels: ["deployment": "api"])])
            _ = try await store.record(Fixtures.delivery(), alerts: [Fixtures.alert("fp-1", .resolved, labels: ["deployment": "gone"])])
            try await store.save([Fixtures.run("run-1", fingerprint: "fp-1"), Fixtures.run("run-2", fingerprint: "fp-none")])
            let template = try #require(await store.alertTemplate(forRun: "run-1"))
            #expect(template.render("${labels.deployment} ${playbook} ${alert.status}") == "api queue-burst firing")
            #expect(await store.alertTemplate(forRun: "run-2") == nil)
            #expect(await store.alertTemplate(forRun: "run-9") == nil)
            let seen = try await store.recordOnce(runID: "run-1", step: 0) { template in (nil, template?.render("${labels.deployment}")) }
            #expect(seen == "api")
        }
    }
}
