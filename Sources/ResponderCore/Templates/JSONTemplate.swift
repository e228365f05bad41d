/// A JSON body written as YAML in a playbook (`http.json`): its structure is the playbook's, and alert values only
/// ever become the content of JSON strings, so no value can add a key, close a string or change a type.
public indirect enum JSONTemplate: Sendable, Equatable, Codable {
    /// An object; members in the playbook's order, keys literal.
    case object([JSONMember])
    /// An array.
    case array([JSONTemplate])
    /// A string; `${...}` references are replaced and the result escaped as one JSON string.
    case string(String)
    /// A number, as the playbook wrote it (already checked to be a JSON number).
    case number(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// Longest body a step may send.
    public static let maxLength = 1 << 20

    /// The JSON text for `values`.
    public func render(values: TemplateValues) throws(TemplateRefusal) -> String {
        var out = ""
        try write(into: &out, values: values)
        guard out.utf8.count <= Self.maxLength else {
            throw .refused("http.json would be longer than \(Self.maxLength) bytes with the alert's values")
        }
        return out
    }

    /// Problems a playbook author must fix: references in keys (a value could name a key).
    public func problems(path: String = "http.json") -> [String] {
        switch self {
        case .object(let members):
            return members.flatMap { member -> [String] in
                let inKey = TemplatePiece.hasReference(member.key)
                    ? ["\(path): the key \"\(member.key)\" uses ${...}; keys are written literally so a value cannot add one"]
                    : []
                return inKey + member.value.problems(path: "\(path).\(member.key)")
            }
        case .array(let items):
            return items.enumerated().flatMap { $0.element.problems(path: "\(path)[\($0.offset)]") }
        case .number(let text):
            return Self.isNumber(text) ? [] : ["\(path): \(text) is not a JSON number"]
        case .string, .bool, .null:
            return []
        }
    }

    private func write(into out: inout String, values: TemplateValues) throws(TemplateRefusal) {
        switch self {
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                if TemplatePiece.hasReference(member.key) {
                    throw .refused("http.json: the key \"\(member.key)\" uses ${...}")
                }
                Self.writeString(member.key, into: &out)
                out += ":"
                try member.value.write(into: &out, values: values)
                guard out.utf8.count <= Self.maxLength else { return }
            }
            out += "}"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                try item.write(into: &out, values: values)
                guard out.utf8.count <= Self.maxLength else { return }
            }
            out += "]"
        case .string(let text):
            Self.writeString(try values.render(text), into: &out)
        case .number(let text):
            guard Self.isNumber(text) else { throw .refused("http.json: \(text) is not a JSON number") }
            out += text
        case .bool(let value):
            out += value ? "true" : "false"
        case .null:
            out += "null"
        }
    }

    /// `text` as a JSON string literal (RFC 8259, 7): quote, backslash and control characters escaped.
    public static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Whether `text` is a JSON number (`-0.5e3`, `12`; no leading zeros, no `+`, no `NaN`), at most 64 characters.
    public static func isNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let whole = index
        guard digits() > 0 else { return false }
        if bytes[whole] == UInt8(ascii: "0"), index - whole > 1 { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}

/// One `key: value` of a ``JSONTemplate`` object.
public struct JSONMember: Sendable, Equatable, Codable {
    /// The key, literal.
    public var key: String
    /// The value.
    public var value: JSONTemplate

    /// Creates a member.
    public init(key: String, value: JSONTemplate) {
        self.key = key
        self.value = value
    }
}
