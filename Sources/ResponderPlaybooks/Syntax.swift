/// Lexical rules of playbook values: names, placeholders, templates.
enum Syntax {
    /// The rule names must follow, for messages.
    static let namePattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"

    /// True for target and playbook names: `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`.
    static func isName(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last, first != "-", last != "-" else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// The rule identifiers follow, for messages.
    static let identifierPattern = "[A-Za-z_][A-Za-z0-9_]*"

    /// True for `[A-Za-z_][A-Za-z0-9_]*`: parameter, label and environment variable names.
    static func isIdentifier(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, !("0"..."9").contains(first) else { return false }
        return scalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    /// True for `labels.NAME` and `annotations.NAME`: where a parameter or template takes an alert value from.
    static func isAlertField(_ text: String) -> Bool {
        ["labels.", "annotations."].contains { text.hasPrefix($0) && isIdentifier(String(text.dropFirst($0.count))) }
    }

    /// A `{...}` or `${...}` found in a string.
    struct Brace: Equatable {
        /// Whether it was written `${...}` (a template) rather than `{...}` (an argv placeholder).
        var dollar: Bool
        /// What is between the braces.
        var content: String
        /// Whether the closing brace is missing.
        var unterminated: Bool
    }

    /// Every `${...}`, and every `{name}` whose content is an identifier (other braces, such as JSON, are text).
    static func braces(in text: String) -> [Brace] {
        var out: [Brace] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let dollar = open > rest.startIndex && rest[rest.index(before: open)] == "$"
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else {
                if dollar { out.append(Brace(dollar: true, content: String(after), unterminated: true)) }
                break
            }
            let content = String(after[..<close])
            if dollar || isIdentifier(content) {
                out.append(Brace(dollar: dollar, content: content, unterminated: false))
            }
            rest = after[after.index(after: close)...]
        }
        return out
    }

    /// The `${...}` templates strings of http, command env and notify may use.
    static let templateForms = "${labels.NAME}, ${annotations.NAME}, ${alert.status}, ${alert.fingerprint}, ${playbook}"

    /// Problems with the `${...}` templates of `text` (nil when all are known ones).
    static func templateProblem(in text: String) -> String? {
        for brace in braces(in: text) where brace.dollar {
            if brace.unterminated { return "\"${\(brace.content)\" is missing its closing }" }
            if !isKnownTemplate(brace.content) {
                return "unknown template \"${\(brace.content)}\"; allowed: \(templateForms)"
            }
        }
        return nil
    }

    private static func isKnownTemplate(_ content: String) -> Bool {
        if ["alert.status", "alert.fingerprint", "playbook"].contains(content) { return true }
        return isAlertField(content)
    }
}
