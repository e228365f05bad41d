import Foundation
import Metrics
import ResponderCore

extension ResponderMetrics {
    /// Records the pauses in force at `now`, by scope (`global`, `target:<name>`) and direction:
    /// `responder_paused` is how many are in force (0 once the last one of that scope and direction is lifted) and
    /// `responder_pause_age_seconds` how long the oldest of them has lasted, so a forgotten pause shows on a dashboard.
    public func pauses(_ pauses: [Pause], now: Date) {
        var oldest: [PauseKey: Date] = [:]
        var counts: [PauseKey: Int] = [:]
        for pause in pauses where pause.isActive(at: now) {
            let key = PauseKey(scope: pause.scope, direction: pause.direction.rawValue)
            counts[key, default: 0] += 1
            oldest[key] = min(oldest[key] ?? pause.since, pause.since)
        }
        let keys = pauseKeys.withLockedValue { known in
            known.formUnion(counts.keys)
            return known
        }
        for key in keys {
            let dimensions = [("scope", key.scope), ("direction", key.direction)]
            Gauge(label: "responder_paused", dimensions: dimensions, factory: factory).record(counts[key] ?? 0)
            let age = oldest[key].map { max(0, now.timeIntervalSince($0)) } ?? 0
            Gauge(label: "responder_pause_age_seconds", dimensions: dimensions, factory: factory).record(age)
        }
    }
}

/// A scope and direction of `responder_paused`.
struct PauseKey: Hashable, Sendable {
    var scope: String
    var direction: String
}
