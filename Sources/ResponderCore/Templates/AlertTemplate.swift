/// Expands `${labels.NAME}`, `${annotations.NAME}`, `${alert.status}`, `${alert.fingerprint}`, `${alert.source}` and
/// `${playbook}` in playbook strings. Unknown references expand to the empty string; the text is never evaluated.
public struct AlertTemplate: Sendable {
    /// The alert values are read from.
    public var alert: NormalizedAlert
    /// The playbook name for `${playbook}`.
    public var playbook: String

    /// Creates a template context.
    public init(alert: NormalizedAlert, playbook: String) {
        self.alert = alert
        self.playbook = playbook
    }

    /// `text` with every reference replaced.
    public func render(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                return out
            }
            out += value(of: String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// The value a reference stands for.
    public func value(of reference: String) -> String {
        if reference.hasPrefix("labels.") { return alert.labels[String(reference.dropFirst(7))] ?? "" }
        if reference.hasPrefix("annotations.") { return alert.annotations[String(reference.dropFirst(12))] ?? "" }
        switch reference {
        case "alert.status": return alert.status.rawValue
        case "alert.fingerprint": return alert.fingerprint
        case "alert.source": return alert.source.rawValue
        case "playbook": return playbook
        default: return ""
        }
    }
}
