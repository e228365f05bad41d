import Foundation
import ResponderCore

/// Drives the pure run engine with a real executor on a manual clock: alerts and ticks go in, every `execute` effect
/// is carried out by the executor (in order, its result fed straight back), and notifications are kept.
/// For tests that need "a run" through real backends without a server or real time.
public struct RunDriver: Sendable {
    /// The engine.
    public private(set) var engine = RunEngine(runs: [])
    /// The manual clock.
    public private(set) var now: Date
    /// Every notification, oldest first.
    public private(set) var notifications: [String] = []
    /// Every step result, oldest first, as `index: result`.
    public private(set) var results: [(step: Int, result: StepResult)] = []
    private let executor: any StepExecutor
    private let playbooks: PlaybookSet

    /// A driver over `executor` for `playbooks`, starting at `now`.
    public init(executor: any StepExecutor, playbooks: PlaybookSet, now: Date) {
        self.executor = executor
        self.playbooks = playbooks
        self.now = now
    }

    /// Hands an alert to the engine, with replica counts and autoscaler demand read through the executor like the
    /// server does, and carries out what it starts.
    public mutating func alert(_ alert: NormalizedAlert) async {
        let targets = Array(playbooks.targets.keys)
        let replicas = await executor.replicas(of: targets)
        let desired = await executor.autoscalerDesired(of: targets)
        await process(engine.handle(.alert(alert, playbooks: playbooks, replicas: replicas, autoscalerDesired: desired), now: now))
    }

    /// Moves the clock forward and fires what came due.
    public mutating func advance(by seconds: TimeInterval) async {
        now = now.addingTimeInterval(seconds)
        await process(engine.handle(.tick, now: now))
    }

    /// The only run, or the one with `id`.
    public func run(_ id: String? = nil) -> Run? {
        if let id { return engine.runs[id] }
        return engine.runs.values.sorted { $0.startedAt < $1.startedAt }.first
    }

    /// Carries effects out in the interpreter's order (``EffectQueue``), awaiting the executor for each step.
    private mutating func process(_ effects: [EngineEffect]) async {
        var queue = EffectQueue(effects)
        while let effect = queue.next() {
            switch effect {
            case .notify(_, let message):
                notifications.append(message)
            case .execute(let runID, let step, let snapshot, let dryRun):
                let result = await executor.execute(step, runID: runID, snapshot: snapshot, dryRun: dryRun)
                results.append((step.index, result))
                queue.followUp(engine.handle(.stepFinished(runID: runID, step: step.index, result: result), now: now))
            }
        }
        _ = engine.drainChanged()
    }
}
