import Foundation

/// Parsing and evaluation of Alertmanager-style matchers.
extension AlertMatcher {
    /// Why a matcher could not be read.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// What is wrong, e.g. `invalid regex "(": ...`.
        public var description: String
    }

    /// Parses `alertname="HighCPU"`, `severity=~"critical|page"`, `env!=dev` (quotes optional for plain values).
    public static func parse(_ text: String) throws(ParseError) -> AlertMatcher {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let scalars = Array(trimmed.unicodeScalars)
        var index = 0
        while index < scalars.count, isNameCharacter(scalars[index], first: index == 0) { index += 1 }
        guard index > 0 else {
            throw ParseError(description: "matcher \"\(text)\" must start with a label name, e.g. alertname=\"HighCPU\"")
        }
        let name = String(String.UnicodeScalarView(scalars[0..<index]))
        while index < scalars.count, scalars[index] == " " { index += 1 }
        let rest = String(String.UnicodeScalarView(scalars[index...]))
        guard let op = [Operator.regexMatch, .regexNoMatch, .notEqual, .equal].first(where: { rest.hasPrefix($0.rawValue) })
        else {
            throw ParseError(description: "matcher \"\(text)\" needs an operator: =, !=, =~ or !~")
        }
        var valueText = String(rest.dropFirst(op.rawValue.count)).trimmingCharacters(in: .whitespaces)
        if valueText.hasPrefix("\"") {
            guard valueText.count >= 2, valueText.hasSuffix("\""), !valueText.hasSuffix("\\\"") || valueText.hasSuffix("\\\\\"")
            else {
                throw ParseError(description: "matcher \"\(text)\" has an unterminated quoted value")
            }
            valueText = try unescape(String(valueText.dropFirst().dropLast()), in: text)
        } else if valueText.contains(where: { $0 == "\"" || $0 == "," || $0 == "{" || $0 == "}" }) {
            throw ParseError(description: "matcher \"\(text)\": quote a value that contains quotes, commas or braces")
        }
        let matcher = AlertMatcher(name: name, op: op, value: valueText)
        try matcher.compile()
        return matcher
    }

    /// Throws when a regex matcher's pattern is not a valid regular expression.
    public func compile() throws(ParseError) {
        guard op == .regexMatch || op == .regexNoMatch else { return }
        do {
            _ = try Regex("^(?:\(value))$")
        } catch {
            throw ParseError(description: "invalid regular expression \"\(value)\" in \(name)\(op.rawValue): \(error)")
        }
    }

    /// True when `labels` satisfy the matcher. A missing label reads as the empty string, as in Alertmanager.
    public func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .regexMatch: return regexMatches(actual)
        case .regexNoMatch: return !regexMatches(actual)
        }
    }

    private func regexMatches(_ text: String) -> Bool {
        guard let regex = try? Regex("^(?:\(value))$") else { return false }
        return (try? regex.wholeMatch(in: text)) != nil
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "_": return true
        case "0"..."9": return !first
        default: return false
        }
    }

    private static func unescape(_ text: String, in original: String) throws(ParseError) -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "\\", "\"": out.append(character)
                default:
                    throw ParseError(description: "matcher \"\(original)\": unknown escape \\\(character)")
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                throw ParseError(description: "matcher \"\(original)\": escape quotes inside the value as \\\"")
            } else {
                out.append(character)
            }
        }
        return out
    }
}
