/// Finds, before Yams sees the text, anything that could be a YAML anchor (`&name`) or alias (`*name`).
///
/// Yams never expands an alias while composing, but it hashes every mapping key to find duplicates, and hashing a key
/// that is an alias of a nested alias structure walks the whole expansion: a 9^7 key took 3.4 s in a debug build, a
/// 9^9 one minutes. Refusing anchors after composing is therefore too late. This scan is deliberately context-free:
/// it flags every `&`/`*` that libyaml could read as an anchor or alias (not preceded by a name character, followed by
/// one or more of `[0-9A-Za-z_-]` and then a blank, the end, or one of `?:,]}%@` and a backtick, exactly libyaml's
/// rule), so it can be fooled into a false alarm by odd unquoted text but never into missing a real one. The one
/// thing it skips is a line whose first non-blank character is `#` and that holds no quote: whatever libyaml makes of
/// it (a comment, block-scalar text, the middle of a quoted scalar), no token can start on it.
enum AliasScan {
    /// The first possible anchor or alias: its 1-based line and its text (`&a`, `*a`).
    static func first(in text: String) -> (line: Int, token: String)? {
        let bytes = Array(text.utf8)
        var line = 1
        var index = 0
        var lineStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if lineStart, let next = commentLineEnd(bytes, from: index) {
                index = next
                continue
            }
            lineStart = false
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = true
            } else if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "*"),
                      index == 0 || !isNameByte(bytes[index - 1]) {
                var end = index + 1
                while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
                if end > index + 1, end == bytes.count || endsName(bytes[end]) {
                    return (line, String(decoding: bytes[index..<end], as: UTF8.self))
                }
            }
            index += 1
        }
        return nil
    }

    /// When the line starting at `start` is blanks, `#` and no quote, the index of its line break (or the end).
    private static func commentLineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "#") else { return nil }
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
            if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") { return nil }
            index += 1
        }
        return index
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        // Any non-ASCII byte counts as a possible end: libyaml also ends a name at NEL, LS and PS.
        byte >= 0x80 || " \t\r\n?:,]}%@`".utf8.contains(byte)
    }
}
