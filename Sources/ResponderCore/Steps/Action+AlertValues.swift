extension Action {
    /// Whether rendering this action may read alert values (`http`, `command` and `notify` can; the others hold only
    /// the playbook's own values).
    public var readsAlertValues: Bool {
        switch self {
        case .http, .command, .notify: return true
        case .scale, .autoscaler, .env, .annotate: return false
        }
    }
}
