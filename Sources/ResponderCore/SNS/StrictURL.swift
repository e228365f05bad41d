/// A deliberately narrow URL splitter for URLs taken from SNS messages.
///
/// Only printable ASCII without spaces or backslashes is accepted, so there is no room for the parser differentials
/// (`\` vs `/`, tabs, Unicode dots, IPv6 zones) that let a hostile URL look like one host to a checker and another to a
/// client. It splits; the checks themselves live in ``SNSPolicy``.
struct StrictURL: Equatable {
    /// Lower-cased scheme.
    var scheme: String
    /// True when the authority contained `@`.
    var hasUserInfo: Bool
    /// Lower-cased host name.
    var host: String
    /// Explicit port, if any.
    var port: Int?
    /// Path, starting with `/` (or empty).
    var path: String
    /// Query without `?`, if present.
    var query: String?
    /// True when the URL has a `#fragment`.
    var hasFragment: Bool

    /// Longest URL accepted.
    static let maxLength = 2048

    /// `host` or `host:port`, lower-cased.
    var authority: String {
        port.map { "\(host):\($0)" } ?? host
    }

    /// Splits `text`, or returns why it cannot.
    static func parse(_ text: String) -> Result<StrictURL, URLProblem> {
        guard !text.isEmpty, text.utf8.count <= maxLength else { return .failure(.init("is empty or longer than \(maxLength) bytes")) }
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x5C }) else {
            return .failure(.init("contains spaces, control characters, backslashes or non-ASCII characters"))
        }
        guard let separator = text.range(of: "://") else { return .failure(.init("is not an absolute URL")) }
        let scheme = String(text[..<separator.lowerBound]).lowercased()
        guard let first = scheme.utf8.first, FieldText.isLower(first), FieldText.isAlphanumeric(scheme, plus: "+-.")
        else { return .failure(.init("has an invalid scheme")) }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var tail = rest[authorityEnd...]
        let hasUserInfo = authority.contains("@")
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        var host = authority
        var port: Int?
        if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            let digits = authority[authority.index(after: colon)...]
            guard !digits.isEmpty, digits.count <= 5, digits.utf8.allSatisfy(FieldText.isDigit),
                  let value = Int(digits), (1...65535).contains(value)
            else { return .failure(.init("has an invalid port")) }
            port = value
        }
        guard !host.isEmpty, FieldText.isAlphanumeric(host, plus: "-.") else { return .failure(.init("has an invalid host")) }
        var hasFragment = false
        if let hash = tail.firstIndex(of: "#") {
            hasFragment = true
            tail = tail[..<hash]
        }
        var query: String?
        if let question = tail.firstIndex(of: "?") {
            query = String(tail[tail.index(after: question)...])
            tail = tail[..<question]
        }
        return .success(StrictURL(
            scheme: scheme, hasUserInfo: hasUserInfo, host: host.lowercased(), port: port, path: String(tail),
            query: query, hasFragment: hasFragment
        ))
    }
}

/// Why ``StrictURL/parse(_:)`` refused a URL.
struct URLProblem: Error, Equatable {
    /// Completes the sentence "the URL ...".
    var reason: String

    /// Creates a problem description.
    init(_ reason: String) {
        self.reason = reason
    }
}
