import ResponderCore
import Testing

@Suite("Playbook durations")
struct DurationParsingTests {
    @Test("valid durations", arguments: [
        ("30s", 30), ("5m", 300), ("1h", 3_600), ("1h30m", 5_400), ("24h", 86_400), ("2d", 172_800), ("0s", 0),
        ("1d2h3m4s", 93_784), ("90s", 90), ("0m", 0),
    ] as [(String, Int64)])
    func parses(_ text: String, _ seconds: Int64) throws {
        #expect(try Duration.parsePlaybook(text) == .seconds(seconds))
    }

    @Test("invalid durations", arguments: [
        ("", "it is empty"), ("5", "the number 5 has no unit"), ("5x", "unknown unit"), ("1.5h", "unknown unit"),
        ("-5m", "expected a whole number"), ("30m1h", "largest to smallest"), ("5m5m", "largest to smallest"),
        ("h", "expected a whole number"), (" 5m", "expected a whole number"), ("5 m", "unknown unit"), ("5M", "unknown unit"),
        ("99999999999999999999s", "too long"), ("9999999999999999d", "too long"),
    ])
    func refuses(_ text: String, _ fragment: String) {
        #expect {
            try Duration.parsePlaybook(text)
        } throws: { error in
            "\(error)".contains(fragment) && "\(error)".hasPrefix("invalid duration \"\(text)\"")
        }
    }

    @Test("formatting back", arguments: [
        (0, "0s"), (30, "30s"), (300, "5m"), (5_400, "1h30m"), (86_400, "1d"), (93_784, "1d2h3m4s"), (-90, "-1m30s"),
    ] as [(Int64, String)])
    func formats(_ seconds: Int64, _ text: String) throws {
        #expect(Duration.seconds(seconds).playbookText == text)
        if seconds >= 0 { #expect(try Duration.parsePlaybook(text) == .seconds(seconds)) }
    }
}
