/// Decides whether a playbook applies to an alert, and says why.
public enum PlaybookMatching {
    /// The evaluation of `playbook` against `alert`.
    public static func evaluate(_ playbook: Playbook, alert: NormalizedAlert) -> Plan.PlaybookEvaluation {
        func result(_ matched: Bool, _ reasons: [String]) -> Plan.PlaybookEvaluation {
            Plan.PlaybookEvaluation(playbook: playbook.name, kind: playbook.kind, matched: matched, reasons: reasons)
        }
        let sources = playbook.match.sources
        if !sources.isEmpty, !sources.contains(alert.source) {
            let allowed = sources.map(\.rawValue).joined(separator: ", ")
            return result(false, ["source \(alert.source.rawValue) is not one of \(allowed)"])
        }
        var reasons: [String] = []
        for matcher in playbook.match.matchers {
            let seen = alert.labels[matcher.name].map { "\(matcher.name)=\"\($0)\"" } ?? "\(matcher.name) absent"
            guard matcher.matches(alert.labels) else {
                return result(false, ["\(matcher) did not match (\(seen))"])
            }
            reasons.append("\(matcher) matched (\(seen))")
        }
        return result(true, reasons)
    }
}
