/// Reads fixed-width decimal numbers and separators from ASCII text, as `LocalDate` and `LocalDateTime` spell them.
struct DigitScanner {
    /// The UTF-8 bytes being read.
    private let bytes: [UInt8]
    /// The next byte to read.
    private var index = 0

    /// Starts at the beginning of `text`.
    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// True once every byte has been read.
    var atEnd: Bool { index == bytes.count }

    /// The next `count` bytes as a decimal number, or nil when they are not all digits.
    mutating func number(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + count] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    /// Reads one byte that is one of `characters` and returns true, or returns false and reads nothing.
    mutating func expect(_ characters: String) -> Bool {
        guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
        index += 1
        return true
    }
}
