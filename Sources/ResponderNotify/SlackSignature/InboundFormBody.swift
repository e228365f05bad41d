import ResponderCore

/// Strict `application/x-www-form-urlencoded` parsing for the bodies Responder receives (Slack interactions, the
/// action-link confirmation form).
enum InboundFormBody {
    /// One `name=value` pair, decoded.
    struct Field: Equatable {
        /// The decoded name.
        var name: String
        /// The decoded value.
        var value: String
    }

    /// Why a body is not valid form encoding.
    enum Problem: Error, Equatable {
        /// A `%` not followed by two hex digits.
        case badEscape
        /// The decoded bytes are not UTF-8.
        case notUTF8
    }

    /// The fields in body order; `+` decodes to a space, empty segments (`a=1&&b=2`) are skipped.
    static func parse(_ body: [UInt8]) throws(Problem) -> [Field] {
        var fields: [Field] = []
        for segment in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = segment.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0])
            let value = parts.count > 1 ? try decode(parts[1]) : ""
            fields.append(Field(name: name, value: value))
        }
        return fields
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) throws(Problem) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = ASCIIHex.value(bytes[index + 1]), let low = ASCIIHex.value(bytes[index + 2]) else {
                    throw .badEscape
                }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw .notUTF8 }
        return text
    }
}
