import Foundation
import ResponderCore

/// `pause:` and `unpause:` items of a scenario's `events:`.
extension ScenarioDecoder {
    /// `pause: {target, direction, mode, reason, by, for}`: every target and both directions unless it says.
    func pause(_ fields: Fields) -> Scenario.PauseOrder? {
        guard let map = fields.mapping("pause", allowed: ["target", "direction", "mode", "reason", "by", "for"]) else { return nil }
        let target = map.string("target")
        if let target, !Syntax.isName(target) {
            map.problem(map.lineOf("target"), "\(map.name("target")) \"\(target)\" is not a target name (\(Syntax.namePattern))")
        }
        let direction = map.choice("direction", PauseDirection.self) ?? .both
        let mode = map.choice("mode", PauseMode.self) ?? .wait
        let reason = map.string("reason", required: true)
        let actor = map.string("by") ?? "simulator"
        var lasts = map.boundedDuration("for")
        if lasts == .zero {
            map.problem(map.lineOf("for"), "\(map.name("for")) must be longer than 0s (leave it out for a pause until lifted)")
            lasts = nil
        }
        guard let reason else { return nil }
        return Scenario.PauseOrder(target: target, direction: direction, mode: mode, reason: reason, actor: actor, lasts: lasts)
    }

    /// `unpause: {id}` or `unpause: {target, direction}` (no target: the global pauses; no direction: any).
    func unpause(_ fields: Fields) -> Scenario.Event.Action? {
        guard let map = fields.mapping("unpause", allowed: ["id", "target", "direction", "by"]) else { return nil }
        let actor = map.string("by") ?? "simulator"
        if let id = map.string("id") {
            if map.has("target") || map.has("direction") {
                map.problem(map.line, "\(map.path) takes id, or target and direction, not both")
            }
            return .unpause(.id(id), actor: actor)
        }
        let target = map.string("target")
        let direction = map.choice("direction", PauseDirection.self)
        return .unpause(.scope(target: target, direction: direction), actor: actor)
    }
}
