import Foundation

/// What people are told, once each, when a pause is set, lifted or expires: the same words from `serve` and
/// `simulate`.
public enum PauseAnnouncement {
    /// `PAUSED: pause-3 (...); steps it covers wait until it is lifted`.
    public static func set(_ pause: Pause) -> String {
        let effect = pause.mode == .wait ? "steps it covers wait until it is lifted"
            : "steps it covers are skipped (restores and undo steps wait)"
        return "PAUSED: \(pause.text); \(effect)"
    }

    /// `pause pause-3 lifted by alice after 2h: scale-down steps on api run again ...`.
    public static func lifted(_ pause: Pause, by actor: String, at now: Date) -> String {
        "pause \(pause.id) lifted by \(actor) after \(age(pause, at: now)): \(resumes(pause))"
    }

    /// `pause pause-3 expired at 2026-12-07T09:00:00Z after 2d: ...`.
    public static func expired(_ pause: Pause) -> String {
        let at = pause.until ?? pause.since
        return "pause \(pause.id) expired at \(RFC3339.format(at)) after \(age(pause, at: at)): \(resumes(pause))"
    }

    /// How long a pause lasted, `2h5m`.
    static func age(_ pause: Pause, at now: Date) -> String {
        Duration.seconds(Int(saturating: max(0, now.timeIntervalSince(pause.since)))).playbookText
    }

    /// What happens now that `pause` is lifted.
    static func resumes(_ pause: Pause) -> String {
        let scope = pause.target.map { "on \($0)" } ?? "everywhere"
        let steps = pause.direction == .both ? "steps" : "\(pause.direction.text) steps"
        return "\(steps) \(scope) run again (a waiting step within seconds, the steps after it keeping their spacing)"
    }
}
