/// How event errors quote what they were given.
enum EventText {
    /// `text` in double quotes with quotes, backslashes and control characters escaped, cut to 64 characters so a
    /// hostile input is never echoed in full.
    static func quoted(_ text: String) -> String {
        text.count > 64 ? String(text.prefix(64)).debugDescription + "…" : text.debugDescription
    }
}
