/// Decides whether a playbook applies to an alert, and says why.
public enum PlaybookMatching {
    /// The evaluation of `playbook` against `alert`.
    public static func evaluate(_ playbook: Playbook, alert: NormalizedAlert) -> Plan.PlaybookEvaluation {
        func result(_ matched: Bool, _ reasons: [String]) -> Plan.PlaybookEvaluation {
            Plan.PlaybookEvaluation(playbook: playbook.name, kind: playbook.kind, matched: matched, reasons: reasons)
        }
        if alert.source == .event {
            // A scheduled event names its playbook; matchers and sources do not apply. Only Responder produces alerts of
            // this source, so the label cannot be chosen by a webhook sender.
            let named = alert.labels[EventAlert.playbookLabel] ?? ""
            guard playbook.name == named else { return result(false, ["scheduled event for playbook \(named)"]) }
            guard playbook.kind == .preEvent else { return result(false, ["events run pre-event playbooks only"]) }
            return result(true, ["scheduled event \(alert.labels[EventAlert.eventLabel] ?? "") names this playbook"])
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
