/// Alertmanager's alert fingerprint: 64-bit FNV-1a over the label names (sorted bytewise) and values, each followed
/// by the separator byte 0xFF, printed as 16 lower-case hex digits (prometheus/common `model.LabelSet.Fingerprint`).
public enum AlertmanagerFingerprint {
    private static let separator: UInt8 = 0xFF

    /// The fingerprint Alertmanager would compute for `labels`.
    public static func of(_ labels: [String: String]) -> String {
        var hasher = FNV1a()
        let names = labels.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for name in names {
            hasher.add(name.utf8)
            hasher.add(separator)
            hasher.add((labels[name] ?? "").utf8)
            hasher.add(separator)
        }
        return hasher.hex
    }
}
