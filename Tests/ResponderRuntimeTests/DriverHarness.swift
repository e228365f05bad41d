import Foundation
import Logging
import ResponderCore
import ResponderPlaybooks
import ResponderRuntime
import ResponderStore
import ResponderTestSupport
import ServiceLifecycle
import Synchronization

/// The one run driver on a real SQLite file and a manual clock, its timer service running in a task group: a test
/// journals alerts, advances the clock and awaits the steps the executor reports, without sleeping.
struct DriverHarness {
    /// 2026-01-01T00:00:00Z.
    static let start = RunSamples.start

    /// Emergency scale of `worker` to 12, then a ladder 11 … 8, one level per second after a 1 s hold.
    static let playbook = FastLadder.yaml(levels: [11, 10, 9, 8])

    let clock: ManualClock
    let journal: SQLiteJournal
    let executor: StreamingExecutor
    let coordinator: RunCoordinator
    /// What the timer service tells of each step it executed (its result and how long it took).
    var stepTimed: @Sendable (StepResult, Duration) -> Void = { _, _ in }

    /// A driver over the journal at `path`; `observations` receives what the driver tells `/metrics`.
    static func make(path: String, executor: StreamingExecutor = StreamingExecutor(),
                     playbook: String = playbook, observations: DriverObservations? = nil) async throws -> DriverHarness {
        let journal = try SQLiteJournal(path: path)
        let clock = ManualClock(start: start)
        let set = try PlaybookLoader.load(files: [("playbooks.yaml", playbook)]).get()
        let registry = PlaybookRegistry(logger: Logger(label: "t")) { .success(set) }
        let store = try await SQLiteRunTransactions(journal: journal, keepEnded: .seconds(86_400), now: start)
        let coordinator = RunCoordinator(store: store, executor: executor, playbooks: registry, logger: Logger(label: "t"),
                                         clock: clock, events: journal,
                                         stepLateness: { observations?.record(lateness: $0) },
                                         runsCounted: { counts, _ in observations?.record(counts: counts) })
        executor.clock = clock
        var harness = DriverHarness(clock: clock, journal: journal, executor: executor, coordinator: coordinator)
        if let observations { harness.stepTimed = { result, _ in observations.record(result: result) } }
        return harness
    }

    private init(clock: ManualClock, journal: SQLiteJournal, executor: StreamingExecutor, coordinator: RunCoordinator) {
        self.clock = clock
        self.journal = journal
        self.executor = executor
        self.coordinator = coordinator
    }

    /// Runs `body` while the driver's timer service runs in a service group, then shuts the group down gracefully as
    /// SIGTERM does: steps still running finish and their results are saved before this returns.
    func running<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(
            services: [RunTimerService(coordinator: coordinator, executor: executor, stepTimed: stepTimed)], logger: Logger(label: "t")
        ))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Journals an alert (as the HTTP hook does) and hands it to the driver, returning once its handling is committed
    /// (the ingest loop, which may see it too, then finds it handled).
    func deliver(_ status: String) async throws {
        let alert = NormalizedAlert(
            source: .alertmanager, fingerprint: "fp-queue", status: status == "firing" ? .firing : .resolved,
            labels: ["alertname": "HighQueueDepth"], annotations: [:], startsAt: Self.start, endsAt: nil,
            generatorURL: nil, groupKey: nil, receiver: nil, idempotencyKey: "fp-queue-\(status)"
        )
        let delivery = Delivery(kind: .alertmanagerWebhook, idempotencyKey: nil, receivedAt: clock.now.date, details: [:], body: "{}")
        _ = try await journal.record(delivery, alerts: [alert])
        await coordinator.submit([alert])
    }
}

/// A dry executor that reports every step it runs, with the clock's time, on a stream the test awaits.
final class StreamingExecutor: StepExecutor {
    /// A step the executor ran.
    struct Call: Sendable {
        let runID: String
        let step: Int
        let detail: String
        let at: Date
        let recheck: Bool
    }

    private let state = Mutex<(clock: ManualClock?, calls: [Call])>((nil, []))
    let calls: AsyncStream<Call>
    private let continuation: AsyncStream<Call>.Continuation
    /// An executor reporting on ``calls``.
    init() {
        (calls, continuation) = AsyncStream.makeStream(of: Call.self)
    }

    var clock: ManualClock? {
        get { state.withLock { $0.clock } }
        set { state.withLock { $0.clock = newValue } }
    }

    /// Every call so far.
    var recorded: [Call] { state.withLock { $0.calls } }

    func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult {
        let call = state.withLock { state -> Call in
            let call = Call(runID: runID, step: step.index, detail: step.detail, at: state.clock?.now.date ?? Date(), recheck: step.recheck)
            state.calls.append(call)
            return call
        }
        continuation.yield(call)
        return .success(detail: step.detail, snapshot: [:])
    }

    func replicas(of targets: [String]) async -> [String: Int] { Dictionary(uniqueKeysWithValues: targets.map { ($0, 3) }) }

    func autoscalerDesired(of targets: [String]) async -> [String: Int] { [:] }
}
