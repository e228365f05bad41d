import NIOConcurrencyHelpers
import ResponderCore
import ResponderExecutors

/// An in-memory target system that records every write, for the routing executor's tests (the real backends have
/// their own tests against the fake Kubernetes API and moto).
final class MemoryBackend: ScalingBackend {
    struct State {
        var replicas: Int
        var autoscaler: AutoscalerState?
        var env: [String: String] = [:]
        var annotations: [Action.AnnotatedObject: [String: String]] = [:]
        var writes: [String] = []
        var failure: BackendError?
    }

    let label: String
    let state: NIOLockedValueBox<State>

    init(_ label: String, replicas: Int, autoscaler: AutoscalerState? = nil) {
        self.label = label
        state = NIOLockedValueBox(State(replicas: replicas, autoscaler: autoscaler))
    }

    var writes: [String] { state.withLockedValue { $0.writes } }
    var current: State { state.withLockedValue { $0 } }

    func fail(with error: BackendError?) { state.withLockedValue { $0.failure = error } }

    private func check() throws(BackendError) {
        if let failure = state.withLockedValue({ $0.failure }) { throw failure }
    }

    func replicas() async throws(BackendError) -> Int {
        try check()
        return state.withLockedValue { $0.replicas }
    }

    func setReplicas(_ count: Int) async throws(BackendError) {
        try check()
        state.withLockedValue { $0.replicas = count; $0.writes.append("replicas=\(count)") }
    }

    func autoscaler() async throws(BackendError) -> AutoscalerState? {
        try check()
        // `desired` holds the demand; like an HPA, the reported desired count is that demand clamped to min...max.
        return state.withLockedValue { value in
            guard var reported = value.autoscaler else { return nil }
            reported.desired = reported.desired.map { Swift.max(reported.min, Swift.min(reported.max, $0)) }
            return reported
        }
    }

    func setAutoscaler(min: Int, max: Int) async throws(BackendError) {
        try check()
        state.withLockedValue { value in
            guard value.autoscaler != nil else { return }
            value.autoscaler?.min = min
            value.autoscaler?.max = max
            value.writes.append("autoscaler=\(min)/\(max)")
        }
    }

    func environment(_ names: [String]) async throws(BackendError) -> [String: String] {
        try check()
        return state.withLockedValue { $0.env.filter { names.contains($0.key) } }
    }

    func setEnvironment(_ changes: [String: String?]) async throws(BackendError) {
        try check()
        state.withLockedValue { value in
            for (name, new) in changes.sorted(by: { $0.key < $1.key }) {
                value.env[name] = new
                value.writes.append("env \(name)=\(new ?? "<removed>")")
            }
        }
    }

    func annotations(on object: Action.AnnotatedObject, keys: [String]) async throws(BackendError) -> [String: String] {
        try check()
        return state.withLockedValue { ($0.annotations[object] ?? [:]).filter { keys.contains($0.key) } }
    }

    func setAnnotations(on object: Action.AnnotatedObject, _ changes: [String: String?]) async throws(BackendError) {
        try check()
        state.withLockedValue { value in
            for (key, new) in changes.sorted(by: { $0.key < $1.key }) {
                value.annotations[object, default: [:]][key] = new
                value.writes.append("\(object.rawValue) annotation \(key)=\(new ?? "<removed>")")
            }
        }
    }

    func request(for operation: BackendOperation) -> String { "\(label) \(operation)" }
}

/// Backends by target name.
struct MemoryBackends: TargetBackends {
    let byName: [String: MemoryBackend]

    func backend(for target: String) async throws(BackendError) -> any ScalingBackend {
        guard let backend = byName[target] else { throw .permanent("unknown target \(target)") }
        return backend
    }
}

/// A dry-run stand-in that counts what it was handed.
final class CountingDryRun: StepExecutor {
    let calls = NIOLockedValueBox<[Int]>([])

    func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult {
        calls.withLockedValue { $0.append(step.index) }
        return .success(detail: "recorded", snapshot: [:])
    }

    func replicas(of targets: [String]) async -> [String: Int] { [:] }
}
