import Foundation
import ResponderCore

/// Reads a `limits:` mapping (of a playbook, or of a scenario standing in for the configuration's):
/// `per_target` and `total` (`{actions: N, window: 1h}`), `targets_per_run`, `on_limit` (`wait` or `hold`).
enum LimitsDecoder {
    private static let keys = ["per_target", "total", "targets_per_run", "on_limit"]

    /// The limits of `fields`' `limits` key, nil when it is absent or wrong (every problem is reported).
    static func decode(_ fields: Fields) -> ActionLimits? {
        let before = fields.log.count
        guard let map = fields.mapping("limits", allowed: keys) else { return nil }
        var limits = ActionLimits()
        limits.perTarget = rate(map, "per_target")
        limits.total = rate(map, "total")
        limits.targetsPerRun = map.int("targets_per_run", in: ActionLimits.targets)
        limits.onLimit = map.choice("on_limit", ActionLimits.OverLimit.self) ?? .wait
        guard map.log.count == before else { return nil }
        if limits.isEmpty {
            map.problem(map.line, "\(map.path) sets no limit: give per_target, total or targets_per_run")
            return nil
        }
        return limits
    }

    /// `{actions: N, window: D}` with N in ``ActionLimits/actions`` and D in ``ActionLimits/window``.
    private static func rate(_ map: Fields, _ key: String) -> ActionLimits.Rate? {
        guard let rate = map.mapping(key, allowed: ["actions", "window"]) else { return nil }
        let actions = rate.int("actions", in: ActionLimits.actions, required: true)
        guard let window = rate.duration("window", required: true) else { return nil }
        guard ActionLimits.window.contains(window) else {
            rate.problem(rate.lineOf("window"), "\(rate.name("window")) must be \(Limits.text(ActionLimits.window)) (not \(window.playbookText))")
            return nil
        }
        return actions.map { ActionLimits.Rate(actions: $0, window: window) }
    }
}
