import Foundation
import ResponderCore

/// The status page's "Pauses" section, first on the page: every pause in force, what it stops, since when and until
/// when, so a forgotten pause is seen.
extension StatusPage {
    /// The section's HTML: a line saying nothing is paused, or a table of the pauses in force at `now`.
    static func pausesSection(_ pauses: [Pause], now: Date) -> String {
        let active = pauses.filter { $0.isActive(at: now) }.sorted { ($0.since, $0.id) < ($1.since, $1.id) }
        var html = "<section id=\"pauses\"><h2>Pauses (\(active.count))</h2>"
        guard !active.isEmpty else { return html + "<p class=\"empty\">Nothing is paused: Responder acts on every target.</p></section>" }
        let global = active.contains { $0.target == nil && $0.direction == .both }
        html += "<p class=\"paused-banner\"><b>\(global ? "All automation is paused." : "Some automation is paused.")</b> "
            + "Steps a pause covers wait (or are skipped) until it is lifted or expires.</p>"
        html += "<table><tr><th>pause</th><th>scope</th><th>direction</th><th>mode</th><th>reason</th><th>by</th>"
            + "<th>since</th><th>until</th></tr>"
        for pause in active {
            let scope = pause.target.map { "target \($0)" } ?? "all targets"
            let age = timeLeft(now.timeIntervalSince(pause.since)) ?? "just now"
            let until = pause.until.map { "<time datetime=\"\(stamp($0))\">\(escape(human($0)))</time>" } ?? "until lifted"
            html += "<tr class=\"pause\" id=\"\(escape("pause-row-" + pause.id))\"><td>\(escape(pause.id))</td><td>\(escape(scope))</td>"
                + "<td>\(escape(pause.direction.text))</td><td>\(escape(pause.mode.rawValue))</td><td>\(escape(pause.reason))</td>"
                + "<td>\(escape(pause.by))</td><td><time datetime=\"\(stamp(pause.since))\">\(escape(human(pause.since)))</time> "
                + "(\(escape(age)) ago)</td><td>\(until)</td></tr>"
        }
        return html + "</table></section>"
    }
}
