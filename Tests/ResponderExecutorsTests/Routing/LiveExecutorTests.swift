import Foundation
import Logging
import AsyncHTTPClient
import ResponderCore
import ResponderExecutors
import Testing

/// Steps for the tests: a scale (actions or ladder phase) or any other action.
private func step(_ index: Int, _ action: Action, phase: Plan.Step.Phase = .actions, to: Int? = nil, from: Int? = nil,
                  recheck: Bool = false) -> RunStep {
    var step = RunStep(index: index, phase: phase, anchor: .now, offsetSeconds: 0, due: nil, work: .action(action),
                       target: action.target, to: to, detail: "test")
    step.from = from
    step.recheck = recheck
    step.attempts = 1
    return step
}

private func restoreStep(_ index: Int) -> RunStep {
    RunStep(index: index, phase: .ladder, anchor: .resolve, offsetSeconds: 0, due: nil, work: .restore, target: nil, to: nil,
            detail: "restore")
}

private func executor(_ backends: [String: MemoryBackend], dryRun: CountingDryRun = CountingDryRun(),
                      alert: AlertTemplate? = nil) -> LiveExecutor {
    LiveExecutor(
        backends: MemoryBackends(byName: backends), http: HTTPCallRunner(client: HTTPClient.shared), commands: CommandStepRunner(),
        dryRun: dryRun, alert: { _ in alert }, logger: Logger(label: "test")
    )
}

private func detail(_ result: StepResult) -> String? {
    if case .success(let detail, _) = result { return detail }
    return nil
}

private func snapshot(_ result: StepResult) -> [String: String] {
    if case .success(_, let snapshot) = result { return snapshot }
    return [:]
}

@Suite("LiveExecutor: scale steps read before they write")
struct LiveExecutorScaleTests {
    @Test("a scale-up of a target with an autoscaler raises its min to hold the count, and snapshots the original")
    func scaleUpRaisesAutoscalerMin() async throws {
        let api = MemoryBackend("api", replicas: 2, autoscaler: AutoscalerState(min: 2, max: 10, desired: 2))
        let result = await executor(["api": api]).execute(
            step(0, .scale(target: "api", change: .toMax), to: 12, from: 2), runID: "run-1", snapshot: [:], dryRun: false)
        #expect(api.writes == ["autoscaler=12/12", "replicas=12"])
        #expect(snapshot(result) == ["autoscaler:api": "min=2,max=10"])
    }

    @Test("a step-down lowers the raised min with the count, never below the original min")
    func stepDownLowersRaisedMin() async throws {
        let api = MemoryBackend("api", replicas: 12, autoscaler: AutoscalerState(min: 12, max: 12, desired: 2))
        let run = executor(["api": api])
        let raised = ["autoscaler:api": "min=2,max=10"]
        _ = await run.execute(step(1, .scale(target: "api", change: .to(6)), phase: .ladder, to: 6), runID: "r", snapshot: raised, dryRun: false)
        #expect(api.writes == ["autoscaler=6/12", "replicas=6"])
        _ = await run.execute(step(2, .scale(target: "api", change: .to(1)), phase: .ladder, to: 1), runID: "r", snapshot: raised, dryRun: false)
        #expect(api.current.autoscaler?.min == 2)
        #expect(api.current.replicas == 2)
    }

    @Test("a step-down never raises a target someone already scaled lower, and a scale-up never lowers")
    func neverAgainstTheDirection() async throws {
        let worker = MemoryBackend("worker", replicas: 3)
        let run = executor(["worker": worker])
        let down = await run.execute(step(0, .scale(target: "worker", change: .to(5)), phase: .ladder, to: 5), runID: "r",
                                     snapshot: [:], dryRun: false)
        #expect(detail(down)?.contains("left alone") == true)
        worker.state.withLockedValue { $0.replicas = 30 }
        let up = await run.execute(step(1, .scale(target: "worker", change: .by(2)), to: 12, from: 10), runID: "r",
                                   snapshot: [:], dryRun: false)
        #expect(detail(up)?.contains("left alone") == true)
        #expect(worker.writes.isEmpty)
    }

    @Test("a step-down stops at what the autoscaler wants when that is demand above its min")
    func stepDownRespectsAutoscalerDemand() async throws {
        let api = MemoryBackend("api", replicas: 10, autoscaler: AutoscalerState(min: 2, max: 10, desired: 7))
        let result = await executor(["api": api]).execute(
            step(0, .scale(target: "api", change: .to(4)), phase: .ladder, to: 4), runID: "r", snapshot: [:], dryRun: false)
        #expect(api.current.replicas == 7)
        #expect(detail(result)?.contains("the autoscaler wants 7") == true)
    }

    @Test("a re-check after a restart finds the value in place and writes nothing")
    func recheckWritesNothing() async throws {
        let api = MemoryBackend("api", replicas: 9)
        let result = await executor(["api": api]).execute(
            step(0, .scale(target: "api", change: .to(9)), to: 9, from: 2, recheck: true), runID: "r", snapshot: [:], dryRun: false)
        #expect(api.writes.isEmpty)
        #expect(detail(result)?.contains("re-checked") == true)
    }

    @Test("backend failures keep their class: retryable stays retryable, refusals are permanent")
    func failuresAreClassified() async throws {
        let api = MemoryBackend("api", replicas: 2)
        let run = executor(["api": api])
        api.fail(with: .retryable("HTTP 503"))
        let retry = await run.execute(step(0, .scale(target: "api", change: .to(4)), to: 4, from: 2), runID: "r", snapshot: [:], dryRun: false)
        #expect(retry == .retryable("HTTP 503"))
        api.fail(with: .permanent("forbidden: add RBAC"))
        let refused = await run.execute(step(0, .scale(target: "api", change: .to(4)), to: 4, from: 2), runID: "r", snapshot: [:], dryRun: false)
        #expect(refused == .permanent("forbidden: add RBAC"))
        let unknown = await run.execute(step(0, .scale(target: "nope", change: .to(4)), to: 4), runID: "r", snapshot: [:], dryRun: false)
        #expect(unknown == .permanent("unknown target nope"))
    }

    @Test("dry-run steps go to the recorder and nothing touches the target")
    func dryRunDelegates() async throws {
        let api = MemoryBackend("api", replicas: 2)
        let recorder = CountingDryRun()
        let result = await executor(["api": api], dryRun: recorder).execute(
            step(4, .scale(target: "api", change: .to(4)), to: 4, from: 2), runID: "r", snapshot: [:], dryRun: true)
        #expect(result == .success(detail: "recorded", snapshot: [:]))
        #expect(recorder.calls.withLockedValue { $0 } == [4])
        #expect(api.writes.isEmpty)
        let exact = await ExactRequests(backends: MemoryBackends(byName: ["api": api]))(step(4, .scale(target: "api", change: .to(4)), to: 4))
        #expect(exact == "api setReplicas(4)")
    }

    @Test("replica and autoscaler readings skip targets that cannot be read")
    func readings() async throws {
        let api = MemoryBackend("api", replicas: 3, autoscaler: AutoscalerState(min: 2, max: 10, desired: 5))
        let broken = MemoryBackend("broken", replicas: 1)
        broken.fail(with: .retryable("down"))
        let run = executor(["api": api, "broken": broken])
        #expect(await run.replicas(of: ["api", "broken", "unknown"]) == ["api": 3])
        #expect(await run.autoscalerDesired(of: ["api", "broken"]) == ["api": 5])
    }
}

@Suite("LiveExecutor: env, annotations, autoscaler bounds, restore")
struct LiveExecutorChangeTests {
    @Test("env and annotations snapshot their originals (absent ones too) and the restore puts exactly those back")
    func snapshotAndRestore() async throws {
        let api = MemoryBackend("api", replicas: 2, autoscaler: AutoscalerState(min: 2, max: 10))
        api.state.withLockedValue { $0.env = ["RATE_LIMIT_MULTIPLIER": "1", "OTHER": "x"] }
        let run = executor(["api": api])
        var runSnapshot: [String: String] = [:]
        let env = await run.execute(step(0, .env(target: "api", set: ["RATE_LIMIT_MULTIPLIER": "3", "NEW": "y"])),
                                    runID: "r", snapshot: runSnapshot, dryRun: false)
        runSnapshot.merge(snapshot(env)) { old, _ in old }
        let annotate = await run.execute(
            step(1, .annotate(target: "api", object: .hpa, set: ["cluster-autoscaler.kubernetes.io/scale-down-disabled": "true"])),
            runID: "r", snapshot: runSnapshot, dryRun: false)
        runSnapshot.merge(snapshot(annotate)) { old, _ in old }
        let bounds = await run.execute(step(2, .autoscaler(target: "api", min: 6, max: nil)), runID: "r", snapshot: runSnapshot, dryRun: false)
        runSnapshot.merge(snapshot(bounds)) { old, _ in old }
        #expect(runSnapshot == [
            "env:api:RATE_LIMIT_MULTIPLIER": "set:1", "env:api:NEW": "unset",
            "hpa-annotation:api:cluster-autoscaler.kubernetes.io/scale-down-disabled": "unset",
            "autoscaler:api": "min=2,max=10",
        ])
        #expect(api.current.env == ["RATE_LIMIT_MULTIPLIER": "3", "NEW": "y", "OTHER": "x"])
        #expect(api.current.autoscaler == AutoscalerState(min: 6, max: 10))

        // A second env step on the same name must not overwrite the original in the snapshot.
        let again = await run.execute(step(3, .env(target: "api", set: ["RATE_LIMIT_MULTIPLIER": "5"])), runID: "r",
                                      snapshot: runSnapshot, dryRun: false)
        #expect(snapshot(again).isEmpty)

        let restored = await run.execute(restoreStep(4), runID: "r", snapshot: runSnapshot, dryRun: false)
        #expect(detail(restored)?.hasPrefix("restored") == true)
        #expect(api.current.env == ["RATE_LIMIT_MULTIPLIER": "1", "OTHER": "x"])
        #expect(api.current.annotations[.hpa] == [:])
        #expect(api.current.autoscaler == AutoscalerState(min: 2, max: 10))
    }

    @Test("values already in place are not written again")
    func noRewrite() async throws {
        let api = MemoryBackend("api", replicas: 2)
        api.state.withLockedValue { $0.env = ["A": "1"] }
        let result = await executor(["api": api]).execute(step(0, .env(target: "api", set: ["A": "1"]), recheck: true),
                                                          runID: "r", snapshot: ["env:api:A": "set:0"], dryRun: false)
        #expect(api.writes.isEmpty)
        #expect(detail(result)?.contains("already") == true)
    }

    @Test("an autoscaler action on a target without one is refused, saying what to configure")
    func autoscalerMissing() async throws {
        let api = MemoryBackend("api", replicas: 2)
        let result = await executor(["api": api]).execute(step(0, .autoscaler(target: "api", min: 4, max: 8)), runID: "r",
                                                          snapshot: [:], dryRun: false)
        guard case .permanent(let message) = result else { Issue.record("expected permanent, got \(result)"); return }
        #expect(message.contains("hpa") && message.contains("scalable_target"))
    }

    @Test("a restore skips dry-run placeholders and snapshot keys it does not know")
    func restoreSkipsPlaceholders() async throws {
        let api = MemoryBackend("api", replicas: 2)
        let result = await executor(["api": api]).execute(
            restoreStep(0), runID: "r", snapshot: ["env:api:A": "unknown (dry-run)", "other": "x"], dryRun: false)
        #expect(result == .success(detail: "restore: nothing was snapshotted", snapshot: [:]))
        #expect(api.writes.isEmpty)
    }

    @Test("snapshot entries round-trip through their stored form")
    func snapshotEntries() {
        #expect(SnapshotEntry(key: "autoscaler:api", value: "min=2,max=10") == .autoscaler(target: "api", min: 2, max: 10))
        #expect(SnapshotEntry(key: "env:api:A", value: "set:a:b") == .env(target: "api", name: "A", value: "a:b"))
        #expect(SnapshotEntry(key: "env:api:A", value: "unset") == .env(target: "api", name: "A", value: nil))
        #expect(SnapshotEntry(key: "hpa-annotation:api:x/y", value: "set:1")
            == .annotation(target: "api", object: .hpa, key: "x/y", value: "1"))
        #expect(SnapshotEntry(key: "autoscaler:api", value: "unknown (dry-run)") == nil)
        #expect(SnapshotEntry(key: "env:api", value: "set:1") == nil)
    }
}

@Suite("LiveExecutor: commands and HTTP calls take the run's alert")
struct LiveExecutorAlertTests {
    private let template = AlertTemplate(
        alert: NormalizedAlert(source: .alertmanager, fingerprint: "f", status: .firing,
                               labels: ["deployment": "$(rm -rf /)", "namespace": "prod"], annotations: [:], startsAt: nil,
                               endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil, idempotencyKey: "k"),
        playbook: "p")

    @Test("a command parameter from a hostile label is refused before anything runs")
    func hostileLabelRefused() async throws {
        let call = Action.CommandCall(argv: ["echo", "{name}"], params: ["name": .init(from: "labels.deployment", pattern: "k8s-name")])
        let result = await executor([:], alert: template).execute(step(0, .command(call)), runID: "r", snapshot: [:], dryRun: false)
        guard case .permanent(let message) = result else { Issue.record("expected permanent, got \(result)"); return }
        #expect(message.contains("refused"))
    }

    @Test("a valid parameter reaches argv, and without the alert the step waits (retryable)")
    func validParameter() async throws {
        let call = Action.CommandCall(argv: ["echo", "{ns}"], params: ["ns": .init(from: "labels.namespace", pattern: "k8s-name")])
        let result = await executor([:], alert: template).execute(step(0, .command(call)), runID: "r", snapshot: [:], dryRun: false)
        #expect(detail(result) == "ran echo: exit 0, output: prod")
        let noAlert = await executor([:]).execute(step(0, .command(call)), runID: "r", snapshot: [:], dryRun: false)
        guard case .retryable = noAlert else { Issue.record("expected retryable, got \(noAlert)"); return }
    }
}
