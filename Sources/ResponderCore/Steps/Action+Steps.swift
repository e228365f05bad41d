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

extension RunStep.Work {
    /// The action's kind (`scale`, `http`, …) or `restore`.
    public var kindName: String {
        switch self {
        case .restore: return "restore"
        case .action(let action): return action.kindName
        }
    }
}
