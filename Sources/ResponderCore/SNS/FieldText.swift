/// Small text rules shared by the SNS and CloudWatch parsers: ASCII character classes, required fields, and
/// bounded echoes of untrusted input.
enum FieldText {
    /// `0-9`.
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// `a-z`.
    static func isLower(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    /// `A-Za-z0-9`.
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || isLower(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// True when every byte of `text` is alphanumeric or one of `extra`.
    static func isAlphanumeric(_ text: some StringProtocol, plus extra: String) -> Bool {
        text.utf8.allSatisfy { isAlphanumeric($0) || extra.utf8.contains($0) }
    }

    /// `value`, or ``IngestError/invalidField(_:)`` naming `path` when it is missing or empty.
    static func required(_ value: String?, _ path: String) throws(IngestError) -> String {
        guard let value else { throw .invalidField("\(path): required field is missing") }
        guard !value.isEmpty else { throw .invalidField("\(path): must not be empty") }
        return value
    }
}

/// Bounded, quoted echo of untrusted input for error messages.
func quoted(_ text: String, limit: Int = 80) -> String {
    let clipped = text.count > limit ? String(text.prefix(limit)) + "…" : text
    return "\"" + clipped + "\""
}
