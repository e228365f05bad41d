/// A part of a templated playbook string: text written in the playbook, or a `${...}` reference to an alert value.
public enum TemplatePiece: Sendable, Equatable {
    /// Text exactly as the playbook wrote it.
    case literal(String)
    /// What is between `${` and the next `}` (`labels.instance`).
    case reference(String)

    /// Splits `text` left to right; a `${` without a closing `}` is literal text. Values are never re-scanned, so a
    /// label holding `${...}` stays text.
    public static func parse(_ text: String) -> [TemplatePiece] {
        var pieces: [TemplatePiece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            if open.lowerBound > rest.startIndex { pieces.append(.literal(String(rest[..<open.lowerBound]))) }
            pieces.append(.reference(String(rest[open.upperBound..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        return pieces
    }

    /// True when `text` holds at least one reference.
    public static func hasReference(_ text: String) -> Bool {
        parse(text).contains { if case .reference = $0 { true } else { false } }
    }
}
