/// Playbook durations: `30s`, `5m`, `1h30m`, `24h`, `2d`, `0s`.
extension Duration {
    /// Why a playbook duration could not be read.
    public struct PlaybookParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// What is wrong, e.g. `invalid duration "5x": ...`.
        public var description: String
    }

    /// Reads a sequence of whole numbers with the units `d`, `h`, `m`, `s`, largest unit first, each at most once
    /// (`1h30m`, `2d`, `0s`). A bare number is refused: the unit is never guessed.
    public static func parsePlaybook(_ text: String) throws(PlaybookParseError) -> Duration {
        func fail(_ why: String) -> PlaybookParseError {
            PlaybookParseError(description: "invalid duration \"\(text)\": \(why); use whole numbers with s, m, h or d, e.g. 30s, 5m, 1h30m")
        }
        let units: [(symbol: UInt8, seconds: Int64)] = [(UInt8(ascii: "d"), 86_400), (UInt8(ascii: "h"), 3_600),
                                                         (UInt8(ascii: "m"), 60), (UInt8(ascii: "s"), 1)]
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw fail("it is empty") }
        var total: Int64 = 0
        var nextUnit = 0
        var index = 0
        while index < bytes.count {
            var number: Int64 = 0
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                let (times10, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw fail("it is too long") }
                number = sum
                index += 1
            }
            guard index > start else { throw fail("expected a whole number") }
            guard index < bytes.count else { throw fail("the number \(number) has no unit") }
            guard let unit = units.firstIndex(where: { $0.symbol == bytes[index] }) else {
                throw fail("unknown unit")
            }
            // Largest unit first, each once: `30m1h` or `5m5m` is almost certainly a typo.
            guard unit >= nextUnit else { throw fail("units must go from largest to smallest, each at most once") }
            nextUnit = unit + 1
            index += 1
            let (part, overflow1) = number.multipliedReportingOverflow(by: units[unit].seconds)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            guard !overflow1, !overflow2 else { throw fail("it is too long") }
            total = sum
        }
        return .seconds(total)
    }

    /// The playbook spelling of this duration in whole seconds, largest unit first: `1h30m`, `2d`, `0s`
    /// (fractions of a second are dropped; a negative duration is prefixed with `-`).
    public var playbookText: String {
        let seconds = components.seconds
        guard seconds != 0 else { return "0s" }
        var rest = seconds.magnitude
        var out = seconds < 0 ? "-" : ""
        for (symbol, size) in [("d", UInt64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            out += "\(rest / size)\(symbol)"
            rest %= size
        }
        return out
    }
}
