import Foundation

/// Validates JSON text before it is decoded: well-formed, bounded nesting, and no object with the same key twice.
///
/// Foundation's decoders silently keep one of two duplicated keys, so `{"status":"resolved","status":"firing"}` would
/// be read as whichever the parser met last. A webhook whose meaning depends on which copy wins is refused instead.
public struct StrictJSON: Sendable {
    /// Deepest nesting of arrays and objects accepted.
    public var maxDepth: Int

    /// Creates a validator with the given nesting bound.
    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    /// Throws ``IngestError/malformedJSON(_:)`` describing the first problem found, with its byte offset.
    public func validate(_ bytes: [UInt8]) throws(IngestError) {
        var scanner = Scanner(bytes: bytes, maxDepth: maxDepth)
        do {
            try scanner.skipWhitespace()
            try scanner.value(depth: 0)
            try scanner.skipWhitespace()
            if scanner.index != bytes.count {
                throw ScanError(offset: scanner.index, reason: "unexpected data after the top-level value")
            }
        } catch let error as ScanError {
            throw IngestError.malformedJSON("\(error.reason) at byte \(error.offset)")
        } catch {
            throw IngestError.malformedJSON("\(error)")
        }
    }

    /// Validates, then decodes with `JSONDecoder`, turning decoding failures into ``IngestError/invalidField(_:)``.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], decoder: JSONDecoder = JSONDecoder()) throws(IngestError) -> T {
        try validate(bytes)
        do {
            return try decoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw IngestError.invalidField(error.readableDescription)
        } catch let error as IngestError {
            throw error
        } catch {
            throw IngestError.invalidField("\(error)")
        }
    }
}

private struct ScanError: Error {
    var offset: Int
    var reason: String
}

private struct Scanner {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0

    /// A scanner at the start of `bytes`.
    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func fail(_ reason: String) -> ScanError {
        ScanError(offset: index, reason: reason)
    }

    mutating func skipWhitespace() throws {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) throws {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try object(depth: depth + 1)
        case UInt8(ascii: "["): try array(depth: depth + 1)
        case UInt8(ascii: "\""): _ = try string(collect: false)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: String) throws {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw fail("invalid literal")
        }
        index += utf8.count
    }

    private mutating func number() throws {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index == start { throw fail("invalid number") }
        // JSON puts no bound on a number; the decoders read them as Double, so `1e400` would fail the whole body
        // later with no position. Refuse it here, where the offset is known.
        if !(Double(String(decoding: bytes[start..<index], as: UTF8.self))?.isFinite ?? false) {
            throw ScanError(offset: start, reason: "number out of range")
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Checks a string and, with `collect` (object keys), returns its text with escapes resolved, so that `"a"` and
    /// `"\u0061"` compare equal as keys; values are only checked, which keeps a large body from allocating a copy of
    /// every string in it.
    private mutating func string(collect: Bool) throws -> [UInt8] {
        index += 1
        var out: [UInt8] = []
        func append(_ byte: UInt8) { if collect { out.append(byte) } }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return out
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                let escaped = bytes[index]
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    append(escaped)
                case UInt8(ascii: "b"): append(0x08)
                case UInt8(ascii: "f"): append(0x0C)
                case UInt8(ascii: "n"): append(0x0A)
                case UInt8(ascii: "r"): append(0x0D)
                case UInt8(ascii: "t"): append(0x09)
                case UInt8(ascii: "u"):
                    let escapeStart = index - 1
                    var scalar = try hexQuad()
                    if (0xDC00...0xDFFF).contains(scalar) {
                        throw ScanError(offset: escapeStart, reason: "unpaired surrogate escape (a low surrogate with no high one before it)")
                    }
                    // Combine surrogate pairs so a key written as `\ud83d\ude00` equals the literal character. A high
                    // surrogate must be followed by a low one: `\ud800\ud800` is not text, and a decoder downstream
                    // would either refuse it or replace it, so two spellings could name different keys.
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u")
                        else {
                            throw ScanError(offset: escapeStart, reason: "unpaired surrogate escape (a high surrogate not followed by a low one)")
                        }
                        index += 2
                        let low = try hexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw ScanError(offset: escapeStart, reason: "unpaired surrogate escape (a high surrogate not followed by a low one)")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let character = Unicode.Scalar(scalar) else {
                        throw ScanError(offset: escapeStart, reason: "invalid \\u escape")
                    }
                    if collect { out.append(contentsOf: Array(String(Character(character)).utf8)) }
                default:
                    throw fail("invalid escape")
                }
                index += 1
            default:
                if byte < 0x20 { throw fail("control character in string") }
                if byte < 0x80 {
                    append(byte)
                    index += 1
                } else {
                    let length = try utf8Sequence()
                    if collect { out.append(contentsOf: bytes[index..<index + length]) }
                    index += length
                }
            }
        }
        throw fail("unterminated string")
    }

    /// The length of the well-formed UTF-8 sequence at `index` (Unicode table 3-7: no overlong forms, no surrogates,
    /// nothing above U+10FFFF); throws on anything else, so invalid text is refused here with its offset.
    private func utf8Sequence() throws -> Int {
        let lead = bytes[index]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; second = 0x80...0x8F
        default: throw fail("invalid UTF-8")
        }
        guard bytes.count - index >= length, second.contains(bytes[index + 1]),
              bytes[(index + 2)..<(index + length)].allSatisfy({ (0x80...0xBF).contains($0) })
        else { throw fail("invalid UTF-8") }
        return length
    }

    /// Reads the four hex digits after `\u`, leaving `index` on the last of them.
    private mutating func hexQuad() throws -> UInt32 {
        guard index + 4 < bytes.count else { throw fail("truncated \\u escape") }
        // Digit by digit: `UInt32(_:radix:)` would also take a sign (`\u+041`), which JSON does not allow.
        var value: UInt32 = 0
        for byte in bytes[(index + 1)...(index + 4)] {
            guard let digit = ASCIIHex.value(byte) else { throw fail("invalid \\u escape") }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    private mutating func object(depth: Int) throws {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        index += 1
        var keys = Set<[UInt8]>()
        try skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            try skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected an object key") }
            let keyStart = index
            let key = try string(collect: true)
            guard keys.insert(key).inserted else {
                let name = String(decoding: key, as: UTF8.self)
                throw ScanError(offset: keyStart, reason: "duplicate key \"\(name.prefix(64))\"")
            }
            try skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            try skipWhitespace()
            try value(depth: depth)
            try skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            throw fail("expected ',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        index += 1
        try skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try skipWhitespace()
            try value(depth: depth)
            try skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            throw fail("expected ',' or ']'")
        }
    }
}
