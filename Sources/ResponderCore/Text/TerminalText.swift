/// Text about to be printed on an operator's terminal, made inert: alert labels and annotations can hold escape
/// sequences (`ESC ] 0 ; title BEL`, cursor moves, `ESC [ 2 J`) or bidirectional overrides that would rewrite what
/// the screen shows. Each such character is shown as `\u{1B}` instead.
public enum TerminalText {
    /// `text` with C0 controls (but newline and tab), DEL, C1 controls and bidirectional controls escaped. With
    /// `keepNewlines: false`, newlines and tabs are escaped too (a single value that must stay on its line).
    public static func printable(_ text: String, keepNewlines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0, keepNewlines: keepNewlines) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar, keepNewlines: keepNewlines) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !keepNewlines
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
