/// Escaping for text from outside (alert names, step details, executor output, actor names) placed in Markdown.
///
/// The result is one line that cannot end a table cell (`|`), open code (`` ` ``), emphasis, a link or an image, or
/// start raw HTML or an entity; control and bidirectional characters are shown as `\u{…}` (``TerminalText``). Meant
/// for text that does not start a line (a cell, the rest of a list item).
public enum MarkdownText {
    /// `text` as inert Markdown on one line: newlines become spaces, Markdown punctuation is backslash-escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        // Scalars, not characters: `|` followed by a combining mark is one character that is not "|" but still a
        // pipe to a Markdown parser.
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n", "\r", "\u{2028}", "\u{2029}", "\u{85}": out.append(" ")
            // A value never starts a line here, so `>` and `#` cannot start a quote or a heading; without `<` and
            // `[` no tag, autolink, link or image can open.
            case "\\", "|", "`", "*", "_", "[", "]", "~", "<", "&": out += "\\" + String(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return TerminalText.printable(out, keepNewlines: false)
    }

    /// ``escape(_:)`` of `text` cut to `limit` characters (the cut made first, so it never splits an escape).
    public static func escape(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return escape(text) }
        return escape(String(text.prefix(max(0, limit - 1)))) + "…"
    }
}
