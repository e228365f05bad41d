import Foundation
import GRDB
import ResponderCore

/// The dry-run executor: for every step it records, in table `executor_call` of the journal's file, exactly the call
/// it would have made, and it keeps a simulated replica count per target (its last recorded scale, else the initial
/// value given at init).
///
/// A step is recorded once per (run, step), whatever the attempt: a second `execute` of a recorded step (a restart
/// after the call was recorded but before the engine stored the outcome) records nothing and reports it as already
/// applied. Check and insert share one transaction, so this holds across crashes.
///
/// Snapshots: autoscaler, env and annotate steps report the originals a real executor would capture, under the keys
/// `autoscaler:<target>`, `env:<target>:<NAME>`, `annotation:<target>:<key>` and `hpa-annotation:<target>:<key>`, each
/// with the value ``unknownOriginal`` since nothing was read. A restore records the keys it would put back.
///
/// What a step would send is decided by ``StepRendering`` and, for a scale, by ``ScaleDecision`` against the simulated
/// count: the code path `simulate` and the live executors share, so a step refused or left alone here is refused or
/// left alone there too. Alert values: the executor reads the run's alert from the store (table `run`, then `alert` by
/// fingerprint); a step that uses alert values while the alert cannot be read is retryable.
public struct RecordingExecutor: StepExecutor {
    /// Value of every snapshot entry a dry-run reports: the original was never read.
    public static let unknownOriginal = "unknown (dry-run)"
    /// Detail of a step found already recorded.
    public static let alreadyApplied = "already applied (recorded before a restart)"

    private let ledger: any DryRunLedger
    private let initialReplicas: [String: Int]
    private let now: @Sendable () -> Date
    private let exactRequest: (@Sendable (RunStep) async -> String?)?

    /// Records into `ledger` (the SQLite journal, or the PostgreSQL store replicas share); `initialReplicas` seeds the
    /// simulated counts of targets never scaled. `exactRequest`, when given, says the exact request a live backend
    /// would send for a step (the Kubernetes PATCH, the ECS UpdateService body); it replaces the readable rendering in
    /// the record when it answers.
    public init(ledger: any DryRunLedger, initialReplicas: [String: Int] = [:], now: @escaping @Sendable () -> Date = { Date() },
                exactRequest: (@Sendable (RunStep) async -> String?)? = nil) {
        self.ledger = ledger
        self.initialReplicas = initialReplicas
        self.now = now
        self.exactRequest = exactRequest
    }

    /// Records into `journal`'s file.
    public init(journal: SQLiteJournal, initialReplicas: [String: Int] = [:], now: @escaping @Sendable () -> Date = { Date() },
                exactRequest: (@Sendable (RunStep) async -> String?)? = nil) {
        self.init(ledger: journal, initialReplicas: initialReplicas, now: now, exactRequest: exactRequest)
    }

    /// Records the call `step` would make (whatever `dryRun` says: this executor never acts).
    public func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult {
        let recordedAt = now()
        let key = step.idempotencyKey(runID: runID)
        let exact = await exactRequest?(step)
        var simulated: Int?
        if case .action(.scale(let target, _)) = step.work {
            simulated = await replicas(of: [target])[target]
        }
        let current = simulated
        do {
            let result = try await ledger.recordOnce(runID: runID, step: step.index) { template -> (call: RecordedCall?, result: StepResult) in
                switch DryRunCall.render(step, snapshot: snapshot, template: template, current: current) {
                case .refused(let message):
                    return (nil, .permanent(message))
                case .unavailable(let message):
                    return (nil, .retryable(message))
                case .call(var call):
                    // The backend's exact request replaces the readable one only when a call is made.
                    if let exact, call.makesCall { call.request = exact }
                    let record = RecordedCall(
                        id: 0, runID: runID, step: step.index, attempt: max(step.attempts, 1), idempotencyKey: key,
                        target: call.target, action: call.action, value: call.value, request: call.request, recordedAt: recordedAt
                    )
                    return (record, .success(detail: "dry-run: \(call.request)", snapshot: call.snapshot))
                }
            }
            return result ?? .success(detail: Self.alreadyApplied, snapshot: [:])
        } catch {
            return .retryable("store unavailable: \(Self.message(error))")
        }
    }

    /// Simulated replica counts: the last recorded scale of each target, else its initial value. Targets with
    /// neither are missing; when the store cannot be read every target is missing (unknown).
    public func replicas(of targets: [String]) async -> [String: Int] {
        guard let recorded = try? await ledger.lastScaled(targets: targets) else { return [:] }
        var counts: [String: Int] = [:]
        for target in Set(targets) {
            if let count = recorded[target] ?? initialReplicas[target] { counts[target] = count }
        }
        return counts
    }

    /// Recorded calls in the order they were made, of one run or of all.
    public func calls(runID: String? = nil) async throws(JournalError) -> [RecordedCall] {
        try await ledger.recordedCalls(runID: runID)
    }

    private static func message(_ error: JournalError) -> String {
        switch error {
        case .unavailable(let message), .incompatible(let message): return message
        }
    }
}

/// One call the dry-run executor recorded.
public struct RecordedCall: Sendable, Equatable, Codable {
    /// Row id; calls are numbered in the order they were recorded.
    public var id: Int64
    /// Run the step belongs to.
    public var runID: String
    /// Step index in the run.
    public var step: Int
    /// Attempt that recorded it.
    public var attempt: Int
    /// The step's idempotency key for that attempt.
    public var idempotencyKey: String
    /// Target touched, if any.
    public var target: String?
    /// `scale`, `autoscaler`, `env`, `annotate`, `http`, `command`, `notify` or `restore`.
    public var action: String
    /// Replicas, for a scale.
    public var value: Int?
    /// Readable rendering of the request (`scale api to 9`, `POST https://… body …`, argv as JSON).
    public var request: String
    /// When it was recorded.
    public var recordedAt: Date

    /// Creates a recorded call.
    public init(id: Int64, runID: String, step: Int, attempt: Int, idempotencyKey: String, target: String?, action: String,
                value: Int?, request: String, recordedAt: Date) {
        self.id = id
        self.runID = runID
        self.step = step
        self.attempt = attempt
        self.idempotencyKey = idempotencyKey
        self.target = target
        self.action = action
        self.value = value
        self.request = request
        self.recordedAt = recordedAt
    }

    /// A call read from an `executor_call` row.
    init(row: Row) {
        self.init(
            id: row["id"], runID: row["run_id"], step: row["step"], attempt: row["attempt"],
            idempotencyKey: row["idempotency_key"], target: row["target"], action: row["action"], value: row["value"],
            request: row["request"], recordedAt: JournalRows.date(row["recorded_at"]) ?? Date(timeIntervalSince1970: 0)
        )
    }
}
