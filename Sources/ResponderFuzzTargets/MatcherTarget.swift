import ResponderCore

/// `matchers`: Alertmanager-style matchers as playbooks write them, evaluated against labels as alerts bring them,
/// through the same matching that picks playbooks at ingest.
///
/// Input: the matcher text, a NUL, then the alert's labels as `name=value` lines.
public enum MatcherTarget {
    /// Parses the matcher and evaluates a playbook holding it against an alert with the labels.
    public static func run(_ bytes: [UInt8]) throws {
        let input = FuzzInput(bytes, limit: 2)
        let matcher = try AlertMatcher.parse(input.text(0))
        let playbook = Playbook(
            name: "fuzz", kind: .emergencyScale, match: Playbook.Match(matchers: [matcher]), actions: [],
            location: FileLocation(file: "fuzz", line: 1)
        )
        var alert = FuzzFixtures.sampleAlert
        alert.labels = input.pairs(1)
        _ = PlaybookMatching.evaluate(playbook, alert: alert)
    }
}
