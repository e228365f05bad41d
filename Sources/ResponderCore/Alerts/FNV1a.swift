/// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3), where the pure core needs a stable,
/// dependency-free digest: CloudWatch alarm fingerprints, and Alertmanager's own label-set fingerprint.
///
/// Not cryptographic: it only names things stably (the full value stays available beside it).
public struct FNV1a: Sendable {
    /// The running hash.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// A hasher at the offset basis.
    public init() {}

    /// Mixes one byte in.
    public mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01b3
    }

    /// Mixes bytes in, in order.
    public mutating func add<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { add(byte) }
    }

    /// The hash as 16 lower-case hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The digest of `text`'s UTF-8 as 16 lower-case hex digits, e.g. `FNV1a.hex64("a") == "af63dc4c8601ec8c"`.
    public static func hex64(_ text: String) -> String {
        var hasher = FNV1a()
        hasher.add(text.utf8)
        return hasher.hex
    }
}
