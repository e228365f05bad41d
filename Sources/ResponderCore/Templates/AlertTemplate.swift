/// Expands `${labels.NAME}`, `${annotations.NAME}`, `${alert.status}`, `${alert.fingerprint}`, `${alert.source}` and
/// `${playbook}` in playbook strings. Unknown references expand to the empty string; the text is never evaluated.
///
/// ``render(_:)`` pastes values in as they are: use it only where the result is text for people (`notify`) or a
/// value that cannot be re-read as structure (an environment variable). Where a value lands inside a URL, a header
/// or a JSON body, ``HTTPRequestRenderer`` encodes it for that place instead.
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
        TemplatePiece.parse(text).reduce(into: "") { out, piece in
            switch piece {
            case .literal(let literal): out += literal
            case .reference(let reference): out += value(of: reference)
            }
        }
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
