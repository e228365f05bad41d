import AsyncHTTPClient
import Foundation
import Logging
import ResponderAWS
import ResponderCore
import ResponderExecutors
import ResponderTestSupport
import Testing

extension ECSBackendMotoTests {
    /// An alert of the run tests.
    static func alert(_ status: AlertStatus) -> NormalizedAlert {
        NormalizedAlert(source: .alertmanager, fingerprint: "ecs-run", status: status, labels: ["alertname": "QueueDepthHigh"],
                        annotations: [:], startsAt: nil, endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil,
                        idempotencyKey: "ecs-run-\(status)")
    }

    /// Backends for the one target of the run test.
    struct ECSBackends: TargetBackends {
        let factory: AWSBackendFactory
        let target: Target.ECS

        func backend(for name: String) async throws(BackendError) -> any ScalingBackend {
            guard name == "worker" else { throw .permanent("unknown target \(name)") }
            return try factory.backend(for: target)
        }
    }

    @Test("a run scales an ECS service to its maximum, raises its scalable target's min, and steps both down")
    func runScalesServiceAndScalableTarget() async throws {
        let factory = try Self.factory()
        let service = try await Self.makeService(factory, scalableTarget: true)
        let backend = try factory.backend(for: service)
        try await backend.autoScaling.registerScalableTarget(resourceId: backend.resourceId, min: 2, max: 20)
        let location = FileLocation(file: "worker.yaml", line: 1)
        let playbooks = PlaybookSet(
            targets: ["worker": Target(name: "worker", backend: .ecs(service), bounds: .init(floor: 2, ceiling: 20), location: location)],
            playbooks: [Playbook(
                name: "worker-queue-depth", kind: .emergencyScale,
                match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "QueueDepthHigh")]),
                actions: [.scale(target: "worker", change: .toMax)],
                ladder: .init(every: .seconds(1800), levels: [("worker", [.replicas(10), .replicas(5), .floor])], restore: true),
                location: location
            )],
            files: ["worker.yaml"]
        )
        let executor = LiveExecutor(
            backends: ECSBackends(factory: factory, target: service), http: HTTPCallRunner(client: HTTPClient.shared),
            commands: CommandStepRunner(), dryRun: NoDryRun(), alert: { _ in nil }, logger: Logger(label: "test"))
        var driver = RunDriver(executor: executor, playbooks: playbooks, now: Date(timeIntervalSince1970: 1_790_000_000))

        await driver.alert(Self.alert(.firing))
        #expect(try await backend.replicas() == 20)
        #expect(try await backend.autoscaler() == AutoscalerState(min: 20, max: 20), "min raised so target tracking keeps 20")
        #expect(driver.run()?.snapshot == ["autoscaler:worker": "min=2,max=20"])

        await driver.alert(Self.alert(.resolved))
        #expect(try await backend.replicas() == 10, "the first level comes at the resolve (hold 0)")
        #expect(try await backend.autoscaler() == AutoscalerState(min: 10, max: 20), "min lowered with the count")
        await driver.advance(by: 1799)
        #expect(try await backend.replicas() == 10, "nothing before the next level is due")
        await driver.advance(by: 1)
        #expect(try await backend.replicas() == 5)
        await driver.advance(by: 1800)
        #expect(try await backend.replicas() == 2)
        #expect(try await backend.autoscaler() == AutoscalerState(min: 2, max: 20), "original bounds back")
        let run = try #require(driver.run())
        #expect(run.status == .completed, "history: \(run.history.map(\.message))")
        #expect(driver.results.allSatisfy { if case .success = $0.result { true } else { false } })
    }
}

/// The run test has no dry-run playbooks: a step handed here is a bug.
struct NoDryRun: StepExecutor {
    func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult {
        .permanent("dry-run was not expected")
    }

    func replicas(of targets: [String]) async -> [String: Int] { [:] }
}
