/// `http.headers` rules: names are fixed tokens written in the playbook, values may hold alert values but never a
/// line break or another control character, so a value cannot add a header or end the header block.
public enum HeaderTemplate {
    /// Longest header value a step may send.
    public static let maxValueLength = 8_192

    /// Headers the HTTP client sets itself; a playbook that sets them could change where or how the request goes.
    public static let reserved: Set<String> = ["host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer"]

    /// What is wrong with a header name and its value template, for `responder validate`; empty when fine.
    public static func problems(name: String, value: String) -> [String] {
        var problems: [String] = []
        if name.isEmpty || !name.utf8.allSatisfy(isTokenByte) {
            problems.append("\"\(name)\" is not a header name (letters, digits and !#$%&'*+-.^_`|~)")
        } else if reserved.contains(name.lowercased()) {
            problems.append("\(name) is set by the HTTP client and cannot be set by a playbook")
        }
        for piece in TemplatePiece.parse(value) {
            if case .literal(let literal) = piece, let bad = literal.unicodeScalars.first(where: isForbidden) {
                problems.append("the value contains the control character U+\(String(bad.value, radix: 16, uppercase: true)); "
                    + "header values cannot hold line breaks or control characters")
                break
            }
        }
        return problems
    }

    /// The value for `values`; throws, naming the header and the alert field, when a value holds CR, LF, NUL or
    /// another control character.
    public static func render(name: String, value: String, values: TemplateValues) throws(TemplateRefusal) -> String {
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte), !reserved.contains(name.lowercased()) else {
            throw .refused("http.headers: \"\(name)\" is not a header a playbook may set")
        }
        var out = ""
        for piece in TemplatePiece.parse(value) {
            let part: String
            let source: String
            switch piece {
            case .literal(let literal):
                part = literal
                source = "the playbook's text"
            case .reference(let reference):
                part = try values.value(of: reference)
                source = reference
            }
            if part.unicodeScalars.contains(where: isForbidden) {
                throw .refused("http.headers.\(name): \(source) contains a line break or another control character "
                    + "(CR, LF, NUL...), which could add headers")
            }
            out += part
        }
        guard out.utf8.count <= maxValueLength else {
            throw .refused("http.headers.\(name) would be longer than \(maxValueLength) bytes with the alert's values")
        }
        return out
    }

    /// Control characters other than horizontal tab (RFC 9110, 5.5).
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    /// Whether a header's value should be hidden in plans, dry-run records and logs (credentials).
    public static func isSensitive(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["authorization", "proxy-authorization", "cookie", "set-cookie"].contains(lower)
            || ["token", "secret", "password", "key", "auth", "signature"].contains { lower.contains($0) }
    }
}
