import Foundation
import ResponderCore
import ResponderNotify

/// The status page at `GET /`, rendered on the server (no build step, no external assets): active runs with their last
/// and next steps and a countdown to each due timer, upcoming scheduled events, recent alerts, and for a signed-in user
/// the actions of each run. Countdowns are rendered as text and refreshed each second by a small inline script; without
/// JavaScript the text is right as of the page load.
enum StatusPage {
    /// What the page shows.
    struct Content {
        /// The open runs, oldest first.
        var runs: [Run]
        /// Recent runs, newest first (the ended ones are listed).
        var recentRuns: [Run]
        /// Recent alerts, newest first.
        var alerts: [JournaledAlert]
        /// The time the page is rendered at.
        var now: Date
        /// Action links per open run, for a signed-in user; empty otherwise.
        var links: [String: [RunCommand: ActionLink]]
        /// Whether the visitor signed in with the admin token.
        var signedIn: Bool
        /// Upcoming scheduled events (``upcoming(_:runs:now:)``); nil when the server keeps no events.
        var events: [UpcomingEvent]? = nil
        /// Pauses (those in force at `now` are listed); nil when the server keeps none (the section is left out).
        var pauses: [Pause]? = nil
    }

    /// The page's HTML.
    static func render(_ content: Content) -> String {
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><meta http-equiv="refresh" content="60">
            <title>Responder</title><style>\(style)</style></head><body>
            <header><h1>Responder</h1><p>as of <time id="as-of" datetime="\(stamp(content.now))">\(escape(human(content.now)))</time>
            · \(content.signedIn ? "signed in" : "<a href=\"/?sign-in=1\">sign in</a> to act on runs")</p></header>
            <main>
            \(content.pauses.map { pausesSection($0, now: content.now) } ?? "")
            <section id="active-runs"><h2>Active runs (\(content.runs.count))</h2>
            """
        if content.runs.isEmpty { html += "<p class=\"empty\">No active runs.</p>" }
        for run in content.runs { html += runCard(run, now: content.now, links: content.links[run.id] ?? [:]) }
        html += "</section>"
        if let events = content.events { html += eventsSection(events, now: content.now) }
        html += "<section id=\"recent-runs\"><h2>Recently ended</h2>"
        let ended = content.recentRuns.filter { !$0.isOpen }.prefix(10)
        if ended.isEmpty { html += "<p class=\"empty\">None.</p>" } else {
            html += "<table><tr><th>run</th><th>playbook</th><th>status</th><th>ended</th></tr>"
            for run in ended {
                html += "<tr><td><a href=\"\(escape(runPath(run.id)))\">\(escape(run.id))</a></td><td>\(escape(run.playbook))</td><td>\(escape(run.status.rawValue))</td>"
                    + "<td>\(run.endedAt.map { escape(human($0)) } ?? "")</td></tr>"
            }
            html += "</table>"
        }
        html += "<p><a href=\"/runs\">All ended runs, with filters</a></p>"
        html += "</section><section id=\"recent-alerts\"><h2>Recent alerts</h2>"
        if content.alerts.isEmpty { html += "<p class=\"empty\">No alerts yet.</p>" } else {
            html += "<table><tr><th>received</th><th>source</th><th>status</th><th>alert</th><th>labels</th></tr>"
            for item in content.alerts {
                let labels = item.alert.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                html += "<tr class=\"alert\"><td>\(escape(human(item.receivedAt)))</td><td>\(escape(item.alert.source.rawValue))</td>"
                    + "<td>\(escape(item.alert.status.rawValue))</td><td>\(escape(item.alert.labels["alertname"] ?? item.alert.fingerprint))</td>"
                    + "<td class=\"labels\">\(escape(String(labels.prefix(300))))</td></tr>"
            }
            html += "</table>"
        }
        html += "</section></main><script>\(script)</script></body></html>"
        return html
    }

    private static func runCard(_ run: Run, now: Date, links: [RunCommand: ActionLink]) -> String {
        let last = run.steps.filter { $0.status.isFinished }.max { ($0.finishedAt ?? .distantPast) < ($1.finishedAt ?? .distantPast) }
        let pending = run.steps.filter { !$0.status.isFinished }
        var html = """
            <article class="run" id="\(escape(run.id))"><h3><a href="\(escape(runPath(run.id)))">\(escape(run.id))</a> · \(escape(run.playbook))
            <span class="status \(escape(run.status.rawValue))">\(escape(run.status.rawValue))</span></h3>
            <p>alert <b>\(escape(run.alertName ?? run.alertFingerprint))</b> · targets \(escape(run.targets.joined(separator: ", ")))
            · started \(escape(human(run.startedAt)))\(run.acknowledgedBy.map { " · acknowledged by \(escape($0))" } ?? "")\(run.dryRun ? " · dry-run" : "")</p>
            """
        html += TimelineSVG.figure(RunTimeline(run: run, now: now), run: run, now: now)
        if let last {
            html += "<p class=\"last\">last: step \(last.index) \(escape(last.detail)) — \(escape(last.status.rawValue))"
                + "\(last.outcome.map { ": " + escape(String($0.prefix(200))) } ?? "")</p>"
        }
        if pending.isEmpty { html += "<p class=\"next\">no steps left</p>" } else {
            html += "<ol class=\"next\">"
            for step in pending.prefix(8) {
                let due: String
                if let at = step.due {
                    due = "<time class=\"countdown\" datetime=\"\(stamp(at))\">\(escape(countdown(at.timeIntervalSince(now))))</time>"
                } else {
                    due = "<span class=\"waiting\">after the \(escape(step.anchor.rawValue.replacingOccurrences(of: "_", with: " ")))</span>"
                }
                html += "<li value=\"\(step.index)\">\(escape(step.detail)) — \(due)"
                    + (step.status == .waitingAck ? " <b>waiting for an acknowledgement</b>" : "") + loadCheckWait(step) + "</li>"
            }
            if pending.count > 8 { html += "<li class=\"more\">and \(pending.count - 8) more</li>" }
            html += "</ol>"
        }
        if !links.isEmpty {
            html += "<div class=\"actions\">"
            for command in SlackRunMessage.commands(for: run) {
                guard let link = links[command] else { continue }
                let path = "/actions/" + link.token
                html += "<form method=\"post\" action=\"\(escape(path))\"><input type=\"hidden\" name=\"actor\" value=\"status page\">"
                    + "<button type=\"submit\" class=\"\(command.rawValue)\" data-action=\"\(command.rawValue)\">"
                    + "\(escape(SlackRunMessage.label(command)))</button></form>"
            }
            html += "</div>"
        }
        return html + "</article>"
    }

    /// ` <b class="gate">waiting for <check>: <reason></b>` for a step its load checks, a pause or a limit hold back
    /// (the countdown before it is then the next re-check), empty otherwise.
    static func loadCheckWait(_ step: RunStep) -> String {
        if let block = step.blocked, !step.status.isFinished {
            // A pause or a limit: the countdown before it is the next re-check (or when the window has room).
            return " <b class=\"gate\">waiting: \(escape(String(block.reason.prefix(300))))</b>"
        }
        guard let wait = step.wait, wait.until == nil, !step.status.isFinished else { return "" }
        return " <b class=\"gate\">waiting for \(escape(wait.last.check)): \(escape(String(wait.last.reason.prefix(300))))</b>"
    }

    /// `in 12m 03s`, `in 2h 05m`, `due now`.
    static func countdown(_ seconds: TimeInterval) -> String {
        let total = Int(saturating: seconds.rounded(.up))
        guard total > 0 else { return "due now" }
        let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60)
        if h > 0 { return "in \(h)h \(String(format: "%02d", m))m" }
        if m > 0 { return "in \(m)m \(String(format: "%02d", s))s" }
        return "in \(s)s"
    }

    /// The run page's path: `/runs/<id>`, the id percent-encoded.
    static func runPath(_ id: String) -> String {
        "/runs/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? "")
    }

    /// `text` safe inside HTML text and quoted attribute values.
    static func escape(_ text: String) -> String { ActionPage.escapeHTML(text) }

    static func stamp(_ date: Date) -> String { RFC3339.format(date) }

    static func human(_ date: Date) -> String {
        String(RFC3339.format(date).prefix(19)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// The inline script, also hashed for the Content-Security-Policy. It counts from the server's time at rendering
    /// (the header's `as-of`) plus the time since, so a browser whose clock is off still shows what the server will do;
    /// run timers are `time.countdown` (``countdown(_:)``), events' `.event-countdown` with `data-at`, `data-before`
    /// and `data-after` (``EventCountdown``, ``timeLeft(_:)``).
    static let script = """
        var o=0,a=document.getElementById('as-of'),v=a&&Date.parse(a.getAttribute('datetime'));if(v)o=v-Date.now();\
        function p(v){return (v<10?'0':'')+v;}\
        function left(s){if(s<60)return s+' s';var m=Math.ceil(s/60),d=Math.floor(m/1440),h=Math.floor(m%1440/60);m%=60;\
        return d>0?d+' d'+(h>0?' '+h+' h':''):(h>0?h+' h'+(m>0?' '+m+' min':''):m+' min');}\
        function tick(){var n=Date.now()+o;document.querySelectorAll('time.countdown').forEach(function(t){\
        var s=Math.ceil((Date.parse(t.getAttribute('datetime'))-n)/1000);if(s<=0){t.textContent='due now';return;}\
        var h=Math.floor(s/3600),m=Math.floor(s%3600/60),x=s%60;\
        t.textContent=h>0?'in '+h+'h '+p(m)+'m':(m>0?'in '+m+'m '+p(x)+'s':'in '+x+'s');});\
        document.querySelectorAll('.event-countdown').forEach(function(e){\
        var s=Math.ceil((Date.parse(e.getAttribute('data-at'))-n)/1000);\
        e.textContent=s>0?e.getAttribute('data-before')+left(s):e.getAttribute('data-after');});}tick();setInterval(tick,1000);
        """

    /// The inline style sheet, also hashed for the Content-Security-Policy.
    static let style = """
        body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}header{background:#1d2330;color:#fff;\
        padding:12px 24px}header a{color:#9cf}h1{margin:0;font-size:20px}main{padding:16px 24px;max-width:1100px}\
        .run{background:#fff;border:1px solid #dde;border-radius:6px;padding:8px 16px;margin:8px 0}.status{font-size:12px;\
        padding:2px 6px;border-radius:4px;background:#e7f0ff}.status.held{background:#fff2cc}table{border-collapse:collapse;\
        width:100%;background:#fff}td,th{border-bottom:1px solid #eee;padding:4px 8px;text-align:left;font-size:13px}\
        .labels{color:#556}.actions form{display:inline}.actions button{margin-right:6px}.abort{color:#b00}.empty{color:#667}\
        .event-id,.local{color:#556;font-size:12px}.event-countdown,.event-phase{font-weight:600;white-space:nowrap}\
        .paused-banner{background:#fff2cc;border:1px solid #e0c060;border-radius:6px;padding:8px 16px}\
        .timeline{margin:8px 0}.timeline-svg{width:100%;height:auto;display:block;font:13px system-ui,sans-serif;\
        background:#fbfcfe;border:1px solid #e4e7ee}.line-done{stroke:#1f6feb;stroke-width:2.5;fill:none}\
        .line-planned{stroke:#1f6feb;stroke-width:2;stroke-dasharray:6 4;fill:none}.timeline-svg .base{stroke:#ccd}\
        .step circle{fill:#1f6feb}.step-planned circle,.step-after-anchor circle{fill:#fff;stroke:#1f6feb;stroke-width:2}\
        .timeline-svg .due,.timeline-svg .count,.timeline-svg .axis{fill:#556;font-size:12px}.timeline-svg .lane-name{font-weight:600}\
        .timeline-svg .zone{fill:#eef3ff}.timeline-svg .zone-label{fill:#557;font-size:12px;font-style:italic}\
        .now line{stroke:#d33;stroke-width:1.5}.now text{fill:#d33;font-size:12px}\
        .marker line{stroke:#999;stroke-dasharray:2 3}.marker text{font-size:13px;font-weight:700}\
        .marker.ack text,.symbol.ack{fill:#070;color:#070}.marker.hold text,.marker.pause text,.marker.limit text,\
        .marker.gate text,.symbol.hold,.symbol.pause,.symbol.limit,.symbol.gate{fill:#a60;color:#a60}\
        .marker.firing text,.symbol.firing{fill:#b00;color:#b00}.marker.resolve text,.symbol.resolve{fill:#070;color:#070}\
        .legend{font-size:12px;color:#556;margin:4px 0}header h1 a{color:#fff;text-decoration:none}\
        .facts table{margin-top:6px}.marker-list{font-size:13px;color:#334;padding-left:20px;max-height:12em;overflow:auto}\
        .symbol{display:inline-block;width:1.2em;font-weight:700}.scroll{overflow-x:auto}.filters label{margin-right:8px;\
        display:inline-block}.filters input,.filters select{font:inherit;max-width:14em}.error{color:#b00;font-weight:600}\
        pre.request{white-space:pre-wrap;word-break:break-all;font-size:12px;margin:0}\
        @media (max-width:700px){header,main{padding:8px 10px}td,th{padding:3px 4px;font-size:12px}h3{font-size:16px}\
        .run{padding:6px 8px}.marker-list{font-size:12px}.timeline-svg{font-size:34px}.timeline-svg .due,\
        .timeline-svg .count,.timeline-svg .axis,.timeline-svg .zone-label,.now text,.marker text{font-size:28px}}
        """
}
