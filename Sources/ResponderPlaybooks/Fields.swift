import ResponderCore

/// Typed, strict access to one YAML mapping of a playbook file. Every read reports what is wrong at the right line
/// and returns nil, so decoding goes on and the loader reports every problem at once.
struct Fields {
    /// One `name: value` of a string map, with the line of the name; the value is nil only where null is allowed.
    typealias Pair = (key: String, value: String?, line: Int)

    /// The file being read, for locations.
    let file: String
    /// Where problems go.
    let log: ProblemLog
    /// Dotted path of this mapping inside its target or playbook (`bounds`, `step_down`), empty at the top.
    let path: String
    /// Line of the mapping, where a missing required key is reported.
    let line: Int
    private let entries: [YAMLEntry]

    /// Reads `node` as a mapping allowing only `allowed` keys; nil (and a problem) when it is not a mapping. `what`
    /// names the mapping in messages when `path` is empty (`target`, `playbook`).
    init?(_ node: YAMLNode, path: String, what: String? = nil, allowed: [String], file: String, log: ProblemLog) {
        self.file = file
        self.log = log
        self.path = path
        self.line = node.line
        let name = what ?? path
        guard case .mapping(let entries) = node.value else {
            log.add(file, node.line, "\(name) must be a mapping, not \(node.kindDescription)")
            return nil
        }
        self.entries = entries
        for entry in entries where !allowed.contains(entry.key) {
            log.add(file, entry.keyLine, "unknown key \"\(entry.key)\" in \(name); allowed: \(allowed.joined(separator: ", "))")
        }
    }

    /// `path.key`, as messages name a key.
    func name(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The entry for `key` when present with a non-null value.
    func entry(_ key: String) -> YAMLEntry? {
        entries.first { $0.key == key && !$0.value.isNull }
    }

    /// The value node for `key`, reporting `path.key is required` when absent and `required`.
    func node(_ key: String, required: Bool = false) -> YAMLNode? {
        if let entry = entry(key) { return entry.value }
        if required {
            if let empty = entries.first(where: { $0.key == key }) {
                problem(empty.keyLine, "\(name(key)) is required but empty")
            } else {
                problem(line, "\(name(key)) is required")
            }
        }
        return nil
    }

    /// Line of `key`'s value, or of the mapping when it is absent: where a problem with the value is reported.
    func lineOf(_ key: String) -> Int {
        entry(key)?.value.line ?? line
    }

    /// Whether `key` is present with a non-null value.
    func has(_ key: String) -> Bool { entry(key) != nil }

    /// Records a problem in this file.
    func problem(_ line: Int, _ message: String) {
        log.add(file, line, message)
    }

    /// A nested mapping.
    func mapping(_ key: String, allowed: [String], required: Bool = false) -> Fields? {
        guard let value = node(key, required: required) else { return nil }
        return Fields(value, path: name(key), allowed: allowed, file: file, log: log)
    }

    /// A string value (any scalar, quoted or not).
    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = node(key, required: required) else { return nil }
        guard let text = value.scalarText else {
            problem(value.line, "\(name(key)) must be a string, not \(value.kindDescription)")
            return nil
        }
        return text
    }

    /// A whole number written plain (`3`, `-1`, `+2`) in `range`: one outside it is reported with the range and read as
    /// nil. There is no unbounded form: every number in a playbook has a documented range.
    func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let value = node(key, required: required) else { return nil }
        switch Self.int(value, in: range) {
        case .number(let number):
            return number
        case .outside(let text):
            problem(value.line, "\(name(key)) must be \(Limits.text(range)) (not \(text))")
        case .notANumber:
            problem(value.line, "\(name(key)) must be a whole number from \(Limits.text(range))")
        }
        return nil
    }

    /// `true` or `false`, written plain.
    func bool(_ key: String) -> Bool? {
        guard let value = node(key) else { return nil }
        switch value.plainText {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            problem(value.line, "\(name(key)) must be true or false")
            return nil
        }
    }

    /// A duration such as `30s` or `1h30m`.
    func duration(_ key: String, required: Bool = false) -> Duration? {
        guard let value = node(key, required: required) else { return nil }
        guard let text = value.scalarText else {
            problem(value.line, "\(name(key)) must be a duration such as 30s, 5m or 1h30m")
            return nil
        }
        do {
            return try Duration.parsePlaybook(text)
        } catch {
            problem(value.line, "\(name(key)): \(error)")
            return nil
        }
    }

    /// A duration within ``Limits/duration`` (0s to 366d): a longer one is reported with the range and read as nil.
    func boundedDuration(_ key: String, required: Bool = false) -> Duration? {
        guard let duration = duration(key, required: required) else { return nil }
        guard Limits.duration.contains(duration) else {
            problem(lineOf(key), "\(name(key)) must be \(Limits.text(Limits.duration)) (not \(duration.playbookText))")
            return nil
        }
        return duration
    }

    /// A timeout: more than 0s and at most ``Limits/maxTimeout`` (1h); outside that it is reported and read as nil.
    func timeout(_ key: String) -> Duration? {
        guard let duration = duration(key) else { return nil }
        guard duration > .zero, duration <= Limits.maxTimeout else {
            problem(lineOf(key), "\(name(key)) must be more than 0s and at most \(Limits.maxTimeout.playbookText) "
                + "(not \(duration.playbookText))")
            return nil
        }
        return duration
    }

    /// One of an enum's raw values.
    func choice<Value: RawRepresentable & CaseIterable>(_ key: String, _ type: Value.Type, required: Bool = false,
                                                        among: [Value]? = nil) -> Value?
    where Value.RawValue == String {
        guard let value = node(key, required: required) else { return nil }
        let cases = among ?? Array(Value.allCases)
        if let text = value.scalarText, let choice = cases.first(where: { $0.rawValue == text }) { return choice }
        let allowed = cases.map(\.rawValue).joined(separator: ", ")
        problem(value.line, "\(name(key)) must be one of \(allowed)\(value.scalarText.map { " (not \"\($0)\")" } ?? "")")
        return nil
    }

    /// A list of strings with their lines.
    func strings(_ key: String, required: Bool = false) -> [(text: String, line: Int)]? {
        guard let value = node(key, required: required) else { return nil }
        guard case .sequence(let items) = value.value else {
            problem(value.line, "\(name(key)) must be a list of strings, not \(value.kindDescription)")
            return nil
        }
        var out: [(text: String, line: Int)] = []
        var clean = true
        for (index, item) in items.enumerated() {
            if let text = item.scalarText {
                out.append((text, item.line))
            } else {
                problem(item.line, "\(name(key))[\(index)] must be a string, not \(item.kindDescription)")
                clean = false
            }
        }
        return clean ? out : nil
    }

    /// A mapping of strings to strings; with `nullable`, a null value is kept as nil (annotation removal).
    func stringMap(_ key: String, required: Bool = false, nullable: Bool = false) -> [Pair]? {
        guard let value = node(key, required: required) else { return nil }
        guard case .mapping(let entries) = value.value else {
            problem(value.line, "\(name(key)) must be a mapping of names to strings, not \(value.kindDescription)")
            return nil
        }
        var out: [Pair] = []
        var clean = true
        for entry in entries {
            if nullable, entry.value.isNull {
                out.append((entry.key, nil, entry.keyLine))
            } else if let text = entry.value.scalarText {
                out.append((entry.key, text, entry.keyLine))
            } else {
                problem(entry.value.line, "\(name(key)).\(entry.key) must be a string, not \(entry.value.kindDescription)")
                clean = false
            }
        }
        return clean ? out : nil
    }

    /// How a plain value compares with a range of whole numbers.
    enum RangedInt: Equatable {
        /// A whole number inside the range.
        case number(Int)
        /// A whole number outside the range (however many digits), as written.
        case outside(String)
        /// Not a plain whole number.
        case notANumber
    }

    /// Reads `node` as a whole number in `range`; a numeral too long for `Int` counts as outside, not as a trap.
    static func int(_ node: YAMLNode, in range: ClosedRange<Int>) -> RangedInt {
        guard let text = node.plainText else { return .notANumber }
        let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .notANumber }
        guard let number = Int(text), range.contains(number) else { return .outside(text) }
        return .number(number)
    }

    /// A plain decimal number (`300`, `0.75`, `-1e3`) within ±``Limits/metricValue``, nil for anything else (NaN,
    /// infinities and YAML's other spellings included).
    static func metricValue(_ node: YAMLNode) -> Double? {
        guard let text = node.plainText, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(text), value.isFinite, abs(value) <= Limits.metricValue else { return nil }
        return value
    }

    /// A plain whole number (`3`, `-1`, `+2`), nil for anything else.
    static func int(_ node: YAMLNode) -> Int? {
        // `Int(_:)` alone would also take what YAML reads differently, so only digits and a sign get this far.
        guard let text = node.plainText, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "-") })
        else { return nil }
        return Int(text)
    }
}
