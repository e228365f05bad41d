import ResponderCore
import Testing

@Suite("Alertmanager-style matchers")
struct AlertMatcherTests {
    @Test("parse", arguments: [
        ("alertname=\"HighCPU\"", "alertname", AlertMatcher.Operator.equal, "HighCPU"),
        ("severity =~ \"critical|page\"", "severity", .regexMatch, "critical|page"),
        ("env!=dev", "env", .notEqual, "dev"),
        ("team!~\"ops.*\"", "team", .regexNoMatch, "ops.*"),
        ("summary=\"say \\\"hi\\\"\"", "summary", .equal, "say \"hi\""),
        ("deployment=\"\"", "deployment", .equal, ""),
    ])
    func parses(_ text: String, _ name: String, _ op: AlertMatcher.Operator, _ value: String) throws {
        let matcher = try AlertMatcher.parse(text)
        #expect(matcher == AlertMatcher(name: name, op: op, value: value))
    }

    @Test("refuse what is not a matcher", arguments: [
        ("=\"x\"", "label name"), ("alertname", "operator"), ("alertname~\"x\"", "operator"),
        ("a=~\"(\"", "invalid regular expression"), ("a=\"unterminated", "unterminated"), ("a=b,c", "quote"),
        ("1abc=\"x\"", "label name"),
    ])
    func refuses(_ text: String, _ fragment: String) {
        #expect {
            _ = try AlertMatcher.parse(text)
        } throws: { error in
            "\(error)".contains(fragment)
        }
    }

    @Test("evaluate, with anchored regexes and missing labels reading as empty", arguments: [
        ("severity=\"critical\"", ["severity": "critical"], true),
        ("severity=\"critical\"", ["severity": "warning"], false),
        ("severity=~\"crit\"", ["severity": "critical"], false),
        ("severity=~\"crit.*\"", ["severity": "critical"], true),
        ("severity=~\"critical|page\"", ["severity": "page"], true),
        ("severity!~\"info|none\"", ["severity": "critical"], true),
        ("severity!~\"info|none\"", ["severity": "info"], false),
        ("env!=\"dev\"", [:], true),
        ("env=\"\"", [:], true),
        ("env=~\".+\"", [:], false),
        ("deployment=~\"[a-z-]+\"", ["deployment": "worker; rm -rf /"], false),
    ])
    func evaluates(_ text: String, _ labels: [String: String], _ expected: Bool) throws {
        #expect(try AlertMatcher.parse(text).matches(labels) == expected)
    }
}
