import ResponderCore

/// One original value a run captured before changing it, as stored in the run's snapshot (`[String: String]`).
///
/// Keys are the ones the dry-run executor reports: `autoscaler:<target>`, `env:<target>:<NAME>`,
/// `annotation:<target>:<key>` and `hpa-annotation:<target>:<key>`. Values: `min=2,max=20` for an autoscaler,
/// `set:<value>` or `unset` for an env var or annotation.
public enum SnapshotEntry: Sendable, Equatable {
    /// An autoscaler's min and max.
    case autoscaler(target: String, min: Int, max: Int)
    /// An env var of a target's container; nil when it was not set.
    case env(target: String, name: String, value: String?)
    /// An annotation on the workload or its HPA; nil when it was absent.
    case annotation(target: String, object: Action.AnnotatedObject, key: String, value: String?)

    /// The snapshot key of an autoscaler.
    public static func autoscalerKey(_ target: String) -> String { "autoscaler:\(target)" }

    /// The snapshot key of an env var.
    public static func envKey(_ target: String, _ name: String) -> String { "env:\(target):\(name)" }

    /// The snapshot key of an annotation.
    public static func annotationKey(_ target: String, _ object: Action.AnnotatedObject, _ key: String) -> String {
        "\(object == .hpa ? "hpa-annotation" : "annotation"):\(target):\(key)"
    }

    /// The stored form of an autoscaler state.
    public static func autoscalerValue(_ state: AutoscalerState) -> String { "min=\(state.min),max=\(state.max)" }

    /// The stored form of an optional env or annotation value.
    public static func optionalValue(_ value: String?) -> String { value.map { "set:" + $0 } ?? "unset" }

    /// Parses one snapshot entry; nil for a value that holds no original (a dry-run placeholder) or a foreign key.
    public init?(key: String, value: String) {
        let parts = key.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[1].isEmpty else { return nil }
        switch (parts[0], parts.count) {
        case ("autoscaler", 2):
            let fields = Dictionary(
                value.split(separator: ",").compactMap { pair -> (String, Int)? in
                    let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    // A stored original outside the replica range (a damaged row) is no original to restore.
                    guard kv.count == 2, let number = Int(kv[1]), Limits.replicas.contains(number) else { return nil }
                    return (kv[0], number)
                },
                uniquingKeysWith: { first, _ in first }
            )
            guard let min = fields["min"], let max = fields["max"] else { return nil }
            self = .autoscaler(target: parts[1], min: min, max: max)
        case ("env", 3):
            guard let original = Self.parseOptional(value) else { return nil }
            self = .env(target: parts[1], name: parts[2], value: original.value)
        case ("annotation", 3), ("hpa-annotation", 3):
            guard let original = Self.parseOptional(value) else { return nil }
            self = .annotation(target: parts[1], object: parts[0] == "hpa-annotation" ? .hpa : .workload, key: parts[2],
                               value: original.value)
        default:
            return nil
        }
    }

    /// The target the entry belongs to.
    public var target: String {
        switch self {
        case .autoscaler(let target, _, _), .env(let target, _, _), .annotation(let target, _, _, _): return target
        }
    }

    private static func parseOptional(_ value: String) -> (value: String?, Void)? {
        if value == "unset" { return (nil, ()) }
        guard value.hasPrefix("set:") else { return nil }
        return (String(value.dropFirst(4)), ())
    }
}
