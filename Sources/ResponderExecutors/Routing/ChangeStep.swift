import ResponderCore

/// Carries out the steps that change something other than replicas (autoscaler bounds, env, annotations) and the
/// restore that puts them back. Each reads the current value first: the original goes into the run's snapshot (unless
/// the run already holds one), and a value already in place is not written again.
struct ChangeStep: Sendable {
    /// The run's snapshot so far.
    var snapshot: [String: String]
    /// Whether this is a re-check after a restart (for the message).
    var recheck: Bool

    /// Sets the autoscaler's min and/or max.
    func autoscaler(_ target: String, min: Int?, max: Int?, on backend: any ScalingBackend) async throws(BackendError) -> StepResult {
        guard let state = try await backend.autoscaler() else {
            throw .permanent("\(backend.label) has no autoscaler configured: set `hpa` (Kubernetes) or "
                + "`scalable_target: true` (ECS) on target \(target), or remove the autoscaler action")
        }
        let newMin = min ?? state.min
        let newMax = Swift.max(max ?? state.max, newMin)
        var originals: [String: String] = [:]
        let key = SnapshotEntry.autoscalerKey(target)
        if snapshot[key] == nil { originals[key] = SnapshotEntry.autoscalerValue(state) }
        guard newMin != state.min || newMax != state.max else {
            return .success(detail: "\(backend.label) autoscaler already \(newMin)/\(newMax)\(recheckNote)", snapshot: originals)
        }
        try await backend.setAutoscaler(min: newMin, max: newMax)
        return .success(detail: "\(backend.label) autoscaler min/max \(state.min)/\(state.max) → \(newMin)/\(newMax)",
                        snapshot: originals)
    }

    /// Sets environment variables.
    func env(_ target: String, set values: [String: String], on backend: any ScalingBackend) async throws(BackendError) -> StepResult {
        let names = values.keys.sorted()
        let current = try await backend.environment(names)
        var originals: [String: String] = [:]
        for name in names where snapshot[SnapshotEntry.envKey(target, name)] == nil {
            originals[SnapshotEntry.envKey(target, name)] = SnapshotEntry.optionalValue(current[name])
        }
        let changes = values.filter { current[$0.key] != $0.value }
        guard !changes.isEmpty else {
            return .success(detail: "\(backend.label) env already \(Self.pairs(values))\(recheckNote)", snapshot: originals)
        }
        try await backend.setEnvironment(changes.mapValues { Optional($0) })
        return .success(detail: "\(backend.label) env set: \(Self.pairs(changes))", snapshot: originals)
    }

    /// Sets or removes annotations.
    func annotate(_ target: String, object: Action.AnnotatedObject, set values: [String: String?],
                  on backend: any ScalingBackend) async throws(BackendError) -> StepResult {
        let keys = values.keys.sorted()
        let current = try await backend.annotations(on: object, keys: keys)
        var originals: [String: String] = [:]
        for key in keys where snapshot[SnapshotEntry.annotationKey(target, object, key)] == nil {
            originals[SnapshotEntry.annotationKey(target, object, key)] = SnapshotEntry.optionalValue(current[key])
        }
        let changes = values.filter { current[$0.key] != $0.value }
        let shown = Self.changes(values)
        let on = object == .hpa ? " HPA" : ""
        guard !changes.isEmpty else {
            return .success(detail: "\(backend.label)\(on) annotations already \(shown)\(recheckNote)", snapshot: originals)
        }
        try await backend.setAnnotations(on: object, changes)
        return .success(detail: "\(backend.label)\(on) annotations: \(Self.changes(changes))", snapshot: originals)
    }

    /// Puts back every original in the snapshot, target by target; dry-run placeholders are skipped.
    func restore(using backends: any TargetBackends) async throws(BackendError) -> StepResult {
        let entries = snapshot.sorted { $0.key < $1.key }.compactMap { SnapshotEntry(key: $0.key, value: $0.value) }
        guard !entries.isEmpty else { return .success(detail: "restore: nothing was snapshotted", snapshot: [:]) }
        var done: [String] = []
        for target in Set(entries.map(\.target)).sorted() {
            let backend = try await backends.backend(for: target)
            var env: [String: String?] = [:]
            var annotations: [Action.AnnotatedObject: [String: String?]] = [:]
            for entry in entries where entry.target == target {
                switch entry {
                case .autoscaler(_, let min, let max):
                    if let state = try await backend.autoscaler(), state.min != min || state.max != max {
                        try await backend.setAutoscaler(min: min, max: max)
                    }
                    done.append("\(target) autoscaler \(min)/\(max)")
                case .env(_, let name, let value):
                    env[name] = .some(value)
                case .annotation(_, let object, let key, let value):
                    annotations[object, default: [:]][key] = .some(value)
                }
            }
            if !env.isEmpty {
                try await backend.setEnvironment(env)
                done.append("\(target) env \(Self.changes(env))")
            }
            for (object, values) in annotations.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try await backend.setAnnotations(on: object, values)
                done.append("\(target)\(object == .hpa ? " HPA" : "") annotations \(Self.changes(values))")
            }
        }
        return .success(detail: "restored " + done.joined(separator: "; "), snapshot: [:])
    }

    private var recheckNote: String { recheck ? " (re-checked after a restart)" : "" }

    private static func pairs(_ values: [String: String]) -> String {
        values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    private static func changes(_ values: [String: String?]) -> String {
        values.sorted { $0.key < $1.key }.map { key, value in value.map { "\(key)=\($0)" } ?? "remove \(key)" }
            .joined(separator: ", ")
    }
}
