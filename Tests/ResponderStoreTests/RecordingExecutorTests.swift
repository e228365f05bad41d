import Foundation
import ResponderCore
import ResponderStore
import ResponderTestSupport
import Testing

@Suite("Recording executor")
struct RecordingExecutorTests {
    static let clock = Date(timeIntervalSince1970: 1_767_229_200)  // 2026-01-01T01:00:00Z

    static func scale(_ index: Int, to replicas: Int, attempts: Int = 1, phase: Plan.Step.Phase = .actions) -> RunStep {
        var step = RunFixtures.step(index, .action(.scale(target: "worker", change: .to(replicas))), target: "worker", to: replicas,
                                    phase: phase)
        step.attempts = attempts
        return step
    }

    /// A journal holding run `runID` started by an alert whose `deployment` label is `deployment`.
    static func journal(runID: String = "run-1", deployment: String) async throws -> SQLiteJournal {
        let journal = try SQLiteJournal(path: SQLiteJournalTests.temporaryPath())
        let alert = NormalizedAlert(
            source: .alertmanager, fingerprint: "fp-\(runID)", status: .firing, labels: ["deployment": deployment],
            annotations: [:], startsAt: RunFixtures.start, endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil,
            idempotencyKey: "alertmanager:fp-\(runID)"
        )
        _ = try await journal.record(SQLiteJournalTests.delivery(), alerts: [alert])
        try await journal.save([RunFixtures.run(runID, fingerprint: "fp-\(runID)")])
        return journal
    }

    @Test("a step is recorded once; executing it again (a re-check after a restart) records nothing")
    func recordsOnce() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        let executor = RecordingExecutor(journal: try SQLiteJournal(path: path), now: { Self.clock })
        let first = await executor.execute(Self.scale(0, to: 9), runID: "run-1", snapshot: [:], dryRun: true)
        #expect(first == .success(detail: "dry-run: scale worker to 9", snapshot: [:]))
        var again = Self.scale(0, to: 9, attempts: 2)
        again.recheck = true
        let second = await executor.execute(again, runID: "run-1", snapshot: [:], dryRun: true)
        #expect(second == .success(detail: RecordingExecutor.alreadyApplied, snapshot: [:]))
        let calls = try await executor.calls()
        #expect(calls.count == 1)
        let call = try #require(calls.first)
        #expect(call.runID == "run-1" && call.step == 0 && call.attempt == 1)
        #expect(call.idempotencyKey == "run-1/step-0/attempt-1")
        #expect(call.target == "worker" && call.action == "scale" && call.value == 9)
        #expect(call.request == "scale worker to 9")
        #expect(call.recordedAt == Self.clock)
        let reopened = RecordingExecutor(journal: try SQLiteJournal(path: path))
        #expect(await reopened.execute(again, runID: "run-1", snapshot: [:], dryRun: true) == second)
        #expect(try await reopened.calls().count == 1)
    }

    @Test("a crash after the call was recorded but before the outcome was stored fires the step exactly once")
    func crashBetweenRecordAndOutcome() async throws {
        let journal = try SQLiteJournal(path: SQLiteJournalTests.temporaryPath())
        let executor = RecordingExecutor(journal: journal)
        try await journal.save([RunFixtures.run("run-1")])
        var engine = RunEngine(runs: try await journal.openRuns())
        for case .execute(let runID, let step, let snapshot, let dryRun) in engine.handle(.tick, now: RunFixtures.start) {
            try await journal.save(engine.drainChanged())
            _ = await executor.execute(step, runID: runID, snapshot: snapshot, dryRun: dryRun)
        }
        // The process dies here: the engine never hears the outcome.
        var restarted = RunEngine(runs: try await journal.openRuns())
        #expect(restarted.runs["run-1"]?.steps[0].recheck == true)
        var results: [StepResult] = []
        for case .execute(let runID, let step, let snapshot, let dryRun) in restarted.handle(.tick, now: RunFixtures.start) {
            #expect(step.idempotencyKey(runID: runID) == "run-1/step-0/attempt-2")
            let result = await executor.execute(step, runID: runID, snapshot: snapshot, dryRun: dryRun)
            results.append(result)
            _ = restarted.handle(.stepFinished(runID: runID, step: step.index, result: result), now: RunFixtures.start)
        }
        #expect(results == [.success(detail: RecordingExecutor.alreadyApplied, snapshot: [:])])
        #expect(restarted.runs["run-1"]?.status == .completed)
        #expect(try await executor.calls().map(\.idempotencyKey) == ["run-1/step-0/attempt-1"])
    }

    @Test("simulated replicas follow the last recorded scale, starting from the initial counts")
    func replicas() async throws {
        let executor = RecordingExecutor(journal: try SQLiteJournal(path: SQLiteJournalTests.temporaryPath()),
                                         initialReplicas: ["worker": 3, "api": 2])
        #expect(await executor.replicas(of: ["worker", "api", "other"]) == ["worker": 3, "api": 2])
        _ = await executor.execute(Self.scale(0, to: 9), runID: "run-1", snapshot: [:], dryRun: true)
        _ = await executor.execute(Self.scale(1, to: 5, phase: .ladder), runID: "run-1", snapshot: [:], dryRun: true)
        #expect(await executor.replicas(of: ["worker", "api", "other"]) == ["worker": 5, "api": 2])
        #expect(await executor.replicas(of: ["api"]) == ["api": 2])
    }

    @Test("a scale the live executor would leave alone is recorded as no call, by the same rules (ScaleDecision)")
    func leftAlone() async throws {
        let executor = RecordingExecutor(journal: try SQLiteJournal(path: SQLiteJournalTests.temporaryPath()),
                                         initialReplicas: ["worker": 9])
        let up = await executor.execute(Self.scale(0, to: 5), runID: "run-1", snapshot: [:], dryRun: true)
        #expect(up == .success(detail: "dry-run: no call: worker already at 9 (scale-up to 5): left alone", snapshot: [:]))
        let down = await executor.execute(Self.scale(1, to: 12, phase: .ladder), runID: "run-1", snapshot: [:], dryRun: true)
        #expect(down == .success(detail: "dry-run: no call: worker already at 9 (step-down to 12): left alone", snapshot: [:]))
        let calls = try await executor.calls(runID: "run-1")
        #expect(calls.map(\.value) == [9, 9], "the count each step leaves")
        let lower = await executor.execute(Self.scale(2, to: 4, phase: .ladder), runID: "run-1", snapshot: [:], dryRun: true)
        #expect(lower == .success(detail: "dry-run: scale worker to 4", snapshot: [:]))
        #expect(await executor.replicas(of: ["worker"]) == ["worker": 4])
    }

    @Test("a command parameter refused by its pattern fails for good and records nothing")
    func refusedParameter() async throws {
        let journal = try await Self.journal(deployment: "worker; rm -rf /")
        let executor = RecordingExecutor(journal: journal)
        let command = RunFixtures.fullRun().steps[5]
        let result = await executor.execute(command, runID: "run-1", snapshot: [:], dryRun: true)
        guard case .permanent(let message) = result else {
            Issue.record("expected a permanent failure, got \(result)")
            return
        }
        #expect(message.contains("parameter name from labels.deployment refused by pattern k8s-name"))
        // Without the run's alert there is no value to validate: retried (the store may answer later), never run.
        let unknownRun = await executor.execute(command, runID: "run-9", snapshot: [:], dryRun: true)
        guard case .retryable(let why) = unknownRun else {
            Issue.record("expected a retryable failure, got \(unknownRun)")
            return
        }
        #expect(why.contains("alert is not in the store"))
        #expect(try await executor.calls().isEmpty)
    }

    @Test("commands, HTTP calls and notifications are rendered with the run's alert; credential header values are hidden")
    func rendering() async throws {
        let executor = RecordingExecutor(journal: try await Self.journal(deployment: "worker"))
        let steps = RunFixtures.fullRun().steps
        for index in 4...6 {
            _ = await executor.execute(steps[index], runID: "run-1", snapshot: [:], dryRun: true)
        }
        let requests = try await executor.calls().map(\.request)
        #expect(requests == [
            "POST https://cache.internal/warm?d=worker headers Authorization: <redacted>, Content-Type: application/json "
                + "body {\"alert\":\"fp-run-1\"}",
            "[\"kubectl\",\"rollout\",\"restart\",\"deployment/worker\"] env {\"MODE\":\"fast\"}",
            "scaled worker",
        ])
        #expect(!requests.joined().contains("secret"))
        // A run the store does not know: a step that uses alert values waits (retryable), one that does not is recorded.
        let unknown = await executor.execute(steps[6], runID: "run-2", snapshot: [:], dryRun: true)
        guard case .retryable = unknown else { Issue.record("expected retryable, got \(unknown)"); return }
        var plain = steps[6]
        plain.work = .action(.notify(message: "scaling"))
        _ = await executor.execute(plain, runID: "run-2", snapshot: [:], dryRun: true)
        #expect(try await executor.calls(runID: "run-2").map(\.request) == ["scaling"])
    }

    @Test("autoscaler, env and annotate report placeholder originals; restore records the keys it puts back")
    func snapshots() async throws {
        let executor = RecordingExecutor(journal: try SQLiteJournal(path: SQLiteJournalTests.temporaryPath()))
        let steps = RunFixtures.fullRun().steps
        let unknown = RecordingExecutor.unknownOriginal
        var snapshot: [String: String] = [:]
        for index in 1...3 {
            let result = await executor.execute(steps[index], runID: "run-1", snapshot: [:], dryRun: true)
            guard case .success(_, let captured) = result else {
                Issue.record("step \(index): \(result)")
                continue
            }
            snapshot.merge(captured) { first, _ in first }
        }
        #expect(snapshot == ["autoscaler:worker": unknown, "env:worker:BATCH": unknown,
                             "hpa-annotation:worker:old": unknown, "hpa-annotation:worker:paused": unknown])
        let restore = await executor.execute(steps[8], runID: "run-1", snapshot: snapshot, dryRun: true)
        #expect(restore == .success(
            detail: "dry-run: restore autoscaler:worker, env:worker:BATCH, hpa-annotation:worker:old, hpa-annotation:worker:paused",
            snapshot: [:]))
        let calls = try await executor.calls()
        #expect(calls.map(\.action) == ["autoscaler", "env", "annotate", "restore"])
        #expect(calls.map(\.request).prefix(3) == [
            "set autoscaler of worker: min 9, max 20", "set env of worker: BATCH=50", "annotate HPA of worker: remove old, paused=true",
        ])
        #expect(calls.allSatisfy { $0.value == nil })
    }

    @Test("calls can be read for one run")
    func callsByRun() async throws {
        let executor = RecordingExecutor(journal: try SQLiteJournal(path: SQLiteJournalTests.temporaryPath()))
        _ = await executor.execute(Self.scale(0, to: 9), runID: "run-1", snapshot: [:], dryRun: true)
        _ = await executor.execute(Self.scale(1, to: 5, phase: .ladder), runID: "run-1", snapshot: [:], dryRun: true)
        _ = await executor.execute(Self.scale(0, to: 4, phase: .ladder), runID: "run-2", snapshot: [:], dryRun: true)
        #expect(try await executor.calls(runID: "run-1").map(\.request) == ["scale worker to 9", "scale worker to 5"])
        #expect(try await executor.calls(runID: "run-2").map(\.value) == [4])
        #expect(try await executor.calls(runID: "run-3").isEmpty)
        #expect(try await executor.calls().count == 3)
    }

    @Test("when the store is locked the step is retryable and nothing is recorded")
    func unavailable() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        let executor = RecordingExecutor(journal: try SQLiteJournal(path: path, busyTimeout: 0.05))
        let lock = try SQLiteLockHolder(path: path)
        let blocked = await executor.execute(Self.scale(0, to: 9), runID: "run-1", snapshot: [:], dryRun: true)
        guard case .retryable(let message) = blocked else {
            Issue.record("expected a retryable failure, got \(blocked)")
            lock.unlock()
            return
        }
        #expect(message.hasPrefix("store unavailable: "))
        lock.unlock()
        #expect(try await executor.calls().isEmpty)
        let retried = await executor.execute(Self.scale(0, to: 9, attempts: 2), runID: "run-1", snapshot: [:], dryRun: true)
        #expect(retried == .success(detail: "dry-run: scale worker to 9", snapshot: [:]))
        #expect(try await executor.calls().map(\.attempt) == [2])
    }
}
