import ResponderCore

/// `durations`: playbook and scenario durations (`30s`, `1h30m`, `2d`), and the spelling `validate`, `plan` and
/// `simulate` print them in.
///
/// Invariant: the printed spelling of a parsed duration parses back to the same duration.
public enum DurationTarget {
    /// Parses `bytes`; an accepted duration is printed and parsed again.
    public static func run(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        let duration = try Duration.parsePlaybook(text)
        _ = duration.timeInterval
        let spelled = duration.playbookText
        guard let again = try? Duration.parsePlaybook(spelled), again == duration else {
            throw FuzzInvariantViolation(target: "durations", "\"\(text)\" is printed as \"\(spelled)\", which does not read back")
        }
    }
}
