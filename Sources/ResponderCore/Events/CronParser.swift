/// Reads the text of a ``CronExpression`` into one bit mask per field.
enum CronParser {
    /// What the macros stand for.
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// The trimmed text, the five masks and whether each field starts with `*`.
    static func fields(of text: String) throws(CronParseError) -> (text: String, masks: [UInt64], stars: [Bool]) {
        let length = text.utf8.count
        guard length <= CronExpression.maxLength else {
            throw CronParseError(field: nil, offendingText: text,
                                 reason: "it is \(length) bytes long, more than \(CronExpression.maxLength)")
        }
        if let bad = text.unicodeScalars.first(where: { !($0.isASCII && ($0.value >= 0x20 && $0.value < 0x7F || $0 == "\t")) }) {
            throw CronParseError(field: nil, offendingText: text,
                                 reason: "it contains \(Character(bad).debugDescription), which cron does not use")
        }
        let trimmed = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        guard !trimmed.isEmpty else { throw CronParseError(field: nil, offendingText: text, reason: "it is empty") }
        var expanded = trimmed
        if trimmed.hasPrefix("@") {
            guard let meaning = macros[trimmed.lowercased()] else {
                throw CronParseError(field: nil, offendingText: trimmed, reason: "unknown macro; use @yearly, "
                    + "@annually, @monthly, @weekly, @daily, @midnight or @hourly (@reboot has no time of its own)")
            }
            expanded = meaning
        }
        let parts = expanded.split(separator: " ").map(String.init)
        guard parts.count == 5 else {
            let hint = parts.count == 6 ? " (seconds and year fields are not supported, nor a command after the time)" : ""
            throw CronParseError(field: nil, offendingText: trimmed, reason: "it has \(parts.count) field(s), not 5\(hint)")
        }
        var masks: [UInt64] = []
        for (field, part) in zip(CronField.allCases, parts) {
            masks.append(try mask(part, field))
        }
        return (trimmed, masks, parts.map { $0.hasPrefix("*") })
    }

    /// The values one field matches, as bits.
    static func mask(_ text: String, _ field: CronField) throws(CronParseError) -> UInt64 {
        var mask: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            mask |= try itemMask(String(item), field, wholeField: text)
        }
        return mask
    }

    /// One list item: `*`, `a`, `a-b`, `*/n` or `a-b/n`.
    private static func itemMask(_ item: String, _ field: CronField, wholeField: String) throws(CronParseError) -> UInt64 {
        // The list item is the most precise text to point at; an empty one says nothing, so then the whole field.
        func fail(_ reason: String) -> CronParseError {
            CronParseError(field: field, offendingText: item.isEmpty ? wholeField : item, reason: reason)
        }
        guard !item.isEmpty else { throw fail("a list has an empty item (two commas together, or one at an end)") }
        let halves = item.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { throw fail("it has more than one /") }
        let base = String(halves[0])
        var low = field.range.lowerBound
        var high = field.range.upperBound
        var isRange = base == "*"
        if !isRange {
            let ends = base.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw fail("a range has one -, as in 1-5") }
            low = try value(String(ends[0]), field, fail)
            high = low
            if ends.count == 2 {
                isRange = true
                high = try value(String(ends[1]), field, fail)
                guard low <= high else {
                    throw fail("the range runs backwards (\(low) is after \(high)); split it, e.g. 22-23,0-5")
                }
            }
        }
        var step = 1
        if halves.count == 2 {
            guard isRange else {
                throw fail("a step follows * or a range, not a single value; write \(base)-\(field.range.upperBound)/n")
            }
            step = try number(String(halves[1]), "step", fail)
            guard (1...field.range.count).contains(step) else {
                throw fail("the step \(step) is outside 1-\(field.range.count)")
            }
        }
        var mask: UInt64 = 0
        for value in stride(from: low, through: high, by: step) {
            // Day-of-week 7 is Sunday, stored as 0.
            mask |= 1 << UInt64(field == .dayOfWeek && value == 7 ? 0 : value)
        }
        return mask
    }

    /// A field value: a number in the field's range or, for months and weekdays, a three-letter name.
    private static func value(_ text: String, _ field: CronField,
                              _ fail: (String) -> CronParseError) throws(CronParseError) -> Int {
        guard text.first?.isLetter == true else {
            let number = try number(text, "value", fail)
            guard field.range.contains(number) else { throw fail("\(number) is outside \(field.accepted)") }
            return number
        }
        guard let entry = field.names.first(where: { $0.name == text.uppercased() }) else {
            throw fail(field.names.isEmpty
                ? "\(EventText.quoted(text)) is not a number (\(field) takes \(field.accepted))"
                : "unknown name \(EventText.quoted(text)) (\(field) takes \(field.accepted))")
        }
        return entry.value
    }

    /// A whole decimal number of at most four digits (larger values are out of every field's range anyway).
    private static func number(_ text: String, _ what: String,
                               _ fail: (String) -> CronParseError) throws(CronParseError) -> Int {
        guard !text.isEmpty else { throw fail("a \(what) is missing") }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw fail("\(EventText.quoted(text)) is not a whole number")
        }
        guard text.utf8.count <= 4, let number = Int(text) else { throw fail("the \(what) \(text) is far too large") }
        return number
    }
}
