/// Alertmanager's alert fingerprint: 64-bit FNV-1a over the label names (sorted bytewise) and values, each followed
/// by the separator byte 0xFF, printed as 16 lower-case hex digits (prometheus/common `model.LabelSet.Fingerprint`).
public enum AlertmanagerFingerprint {
    private static let offset: UInt64 = 14_695_981_039_346_656_037
    private static let prime: UInt64 = 1_099_511_628_211
    private static let separator: UInt8 = 0xFF

    /// The fingerprint Alertmanager would compute for `labels`.
    public static func of(_ labels: [String: String]) -> String {
        var hash = offset
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        let names = labels.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for name in names {
            for byte in name.utf8 { add(byte) }
            add(separator)
            for byte in (labels[name] ?? "").utf8 { add(byte) }
            add(separator)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
