import Foundation
import ResponderCore
import ResponderStore

/// The page of one run at `GET /runs/{id}`: its timeline with the text equivalent, every step, the full history, and
/// for a signed-in visitor the notifications with their delivery state and the requests its steps made (as the
/// dry-run ledger recorded them, sensitive headers and env already redacted there). Everything from the run is escaped.
enum RunPage {
    /// What the page shows.
    struct Content {
        /// The run.
        var run: Run
        /// The time the page is rendered at.
        var now: Date
        /// Whether the visitor signed in with the admin token.
        var signedIn: Bool
        /// The run's notifications, oldest first; nil when not shown (not signed in, or no outbox).
        var notifications: [OutboxItem]?
        /// The calls the dry-run executor recorded for the run; nil when not shown.
        var calls: [RecordedCall]?
    }

    /// Longest outcome, notification text or request shown.
    static let maxText = 2000

    /// The page's HTML.
    static func render(_ content: Content) -> String {
        let run = content.run
        let e = StatusPage.escape
        var body = """
            <section id="run"><h2>Run \(e(run.id)) · \(e(run.playbook)) <span class="status \(e(run.status.rawValue))">\(e(run.status.rawValue))</span></h2>
            <p>\(e(run.kind.rawValue)) · alert <b>\(e(run.alertName ?? run.alertFingerprint))</b> · targets \(e(run.targets.joined(separator: ", ")))
            · started \(e(StatusPage.human(run.startedAt)))\(run.resolvedAt.map { " · resolved " + e(StatusPage.human($0)) } ?? "")\
            \(run.endedAt.map { " · ended " + e(StatusPage.human($0)) } ?? "")\(run.dryRun ? " · dry-run" : "")</p>
            \(TimelineSVG.figure(RunTimeline(run: run, now: content.now), run: run, now: content.now))
            </section>
            """
        body += steps(run, now: content.now)
        body += "<section id=\"history\"><h2>History (\(run.history.count))</h2><ol class=\"history\">"
        for line in run.history {
            body += "<li><time datetime=\"\(StatusPage.stamp(line.at))\">\(e(StatusPage.human(line.at)))</time> "
                + "\(e(String(line.message.prefix(maxText))))</li>"
        }
        body += "</ol></section>"
        if let notifications = content.notifications {
            body += notificationsSection(notifications)
        }
        if let calls = content.calls {
            body += requestsSection(calls, live: liveRequests(run))
        }
        if !content.signedIn {
            body += "<p class=\"empty\"><a href=\"\(e(StatusPage.runPath(run.id)))?sign-in=1\">Sign in</a> to see the "
                + "notifications and the requests the steps made.</p>"
        }
        return document(title: "Run \(run.id)", now: content.now, signedIn: content.signedIn, body: body)
    }

    /// Every step: what it does, its state, when, attempts and outcome.
    static func steps(_ run: Run, now: Date) -> String {
        let e = StatusPage.escape
        var html = "<section id=\"steps\"><h2>Steps (\(run.steps.count))</h2><div class=\"scroll\"><table><tr><th>#</th><th>phase</th>"
            + "<th>step</th><th>status</th><th>when</th><th>attempts</th><th>outcome</th></tr>"
        for step in run.steps {
            let when: String
            if let finished = step.finishedAt {
                when = e(StatusPage.human(finished))
            } else if step.status.isFinished {
                when = ""
            } else {
                when = TimelineSVG.due(step, now: now)
            }
            html += "<tr class=\"step-row\"><td>\(step.index)</td><td>\(e(step.phase.rawValue))</td><td>\(e(step.detail))</td>"
                + "<td>\(e(step.status.rawValue))\(StatusPage.loadCheckWait(step))</td><td>\(when)</td><td>\(step.attempts)</td>"
                + "<td>\(e(String((step.outcome ?? "").prefix(maxText))))</td></tr>"
        }
        return html + "</table></div></section>"
    }

    /// The outbox rows of the run: channel, kind, delivery state (pending, sent, failed), attempts, times, last error.
    static func notificationsSection(_ items: [OutboxItem]) -> String {
        let e = StatusPage.escape
        var html = "<section id=\"notifications\"><h2>Notifications (\(items.count))</h2>"
        guard !items.isEmpty else { return html + "<p class=\"empty\">None queued.</p></section>" }
        html += "<div class=\"scroll\"><table><tr><th>queued</th><th>channel</th><th>kind</th><th>delivery</th><th>attempts</th>"
            + "<th>next attempt / done</th><th>last error</th><th>text</th></tr>"
        for item in items {
            let state = item.status == .delivered ? "sent" : item.status.rawValue
            let when = item.status == .pending ? item.nextAttemptAt : item.finishedAt
            html += "<tr class=\"notification \(e(state))\"><td>\(e(StatusPage.human(item.notification.createdAt)))</td>"
                + "<td>\(e(item.notification.channel.rawValue))</td><td>\(e(item.notification.kind.rawValue))</td>"
                + "<td class=\"delivery\">\(e(state))</td><td>\(item.attempts)</td><td>\(when.map { e(StatusPage.human($0)) } ?? "")</td>"
                + "<td>\(e(String((item.lastError ?? "").prefix(maxText))))</td>"
                + "<td>\(e(String(item.notification.text.prefix(maxText))))</td></tr>"
        }
        return html + "</table></div></section>"
    }

    /// The outbound requests live attempts made, by step (``RunStep/requests``).
    static func liveRequests(_ run: Run) -> [(step: Int, request: String)] {
        run.steps.flatMap { step in (step.requests ?? []).map { (step.index, $0) } }
    }

    /// The requests the steps made: the live ones each step kept (method, URL without its query, answer), and those
    /// the dry-run ledger recorded (the exact request a backend would have been sent).
    static func requestsSection(_ calls: [RecordedCall], live: [(step: Int, request: String)] = []) -> String {
        let e = StatusPage.escape
        var html = "<section id=\"requests\"><h2>Requests made (\(calls.count + live.count))</h2>"
        if !live.isEmpty {
            html += "<div class=\"scroll\"><table><tr><th>step</th><th>request (live)</th></tr>"
            for (step, request) in live {
                html += "<tr class=\"live-request-row\"><td>\(step)</td><td><pre class=\"request\">\(e(String(request.prefix(maxText))))</pre></td></tr>"
            }
            html += "</table></div>"
        }
        guard !calls.isEmpty else {
            guard live.isEmpty else { return html + "</section>" }
            return html + "<p class=\"empty\">No requests: no step of this run has called out yet (commands and chat "
                + "messages are in each step's outcome, above).</p></section>"
        }
        html += "<div class=\"scroll\"><table><tr><th>recorded</th><th>step</th><th>attempt</th><th>action</th><th>target</th>"
            + "<th>request</th></tr>"
        for call in calls {
            html += "<tr class=\"request-row\"><td>\(e(StatusPage.human(call.recordedAt)))</td><td>\(call.step)</td><td>\(call.attempt)</td>"
                + "<td>\(e(call.action))</td><td>\(e(call.target ?? ""))</td>"
                + "<td><pre class=\"request\">\(e(String(call.request.prefix(maxText))))</pre></td></tr>"
        }
        return html + "</table></div></section>"
    }

    /// A whole page around `body`: the status page's header, style and countdown script.
    static func document(title: String, now: Date, signedIn: Bool, body: String) -> String {
        let e = StatusPage.escape
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>\(e(title)) · Responder</title><style>\(StatusPage.style)</style></head><body>
            <header><h1><a href="/">Responder</a></h1><p>as of <time id="as-of" datetime="\(StatusPage.stamp(now))">\(e(StatusPage.human(now)))</time>
            · \(signedIn ? "signed in" : "not signed in") · <a href="/runs">ended runs</a></p></header>
            <main>\(body)</main><script>\(StatusPage.script)</script></body></html>
            """
    }

    /// A short error page (unknown run, bad filter, store down).
    static func message(_ title: String, _ text: String, now: Date, signedIn: Bool = false) -> String {
        document(title: title, now: now, signedIn: signedIn,
                 body: "<h2>\(StatusPage.escape(title))</h2><p class=\"error\">\(StatusPage.escape(text))</p>")
    }
}
