import Foundation
import ResponderCore

/// The ended-runs page at `GET /runs`: a filter form (``RunFilter``) and one page of the runs that pass it, newest
/// start first, each linking to its run page.
enum EndedRunsPage {
    /// What the page shows.
    struct Content {
        /// The filter applied.
        var filter: RunFilter
        /// The runs of this page.
        var runs: [Run]
        /// Whether a next page has runs.
        var more: Bool
        /// The time the page is rendered at.
        var now: Date
        /// Whether the visitor signed in.
        var signedIn: Bool
    }

    /// The page's HTML.
    static func render(_ content: Content) -> String {
        let e = StatusPage.escape
        let filter = content.filter
        var body = "<section id=\"ended-runs\"><h2>Ended runs</h2>" + form(filter)
        if content.runs.isEmpty {
            body += "<p class=\"empty\">No ended runs match.</p>"
        } else {
            body += "<div class=\"scroll\"><table><tr><th>run</th><th>playbook</th><th>targets</th><th>status</th><th>started</th>"
                + "<th>ended</th><th>acknowledged by</th></tr>"
            for run in content.runs {
                body += "<tr class=\"ended-run\"><td><a href=\"\(e(StatusPage.runPath(run.id)))\">\(e(run.id))</a></td>"
                    + "<td>\(e(run.playbook))</td><td>\(e(run.targets.joined(separator: ", ")))</td><td>\(e(run.status.rawValue))</td>"
                    + "<td>\(e(StatusPage.human(run.startedAt)))</td><td>\(run.endedAt.map { e(StatusPage.human($0)) } ?? "")</td>"
                    + "<td>\(e(run.acknowledgedBy ?? ""))</td></tr>"
            }
            body += "</table></div>"
        }
        var pages: [String] = []
        if filter.page > 1 { pages.append("<a rel=\"prev\" href=\"/runs?\(e(filter.queryString(page: filter.page - 1)))\">newer</a>") }
        if content.more { pages.append("<a rel=\"next\" href=\"/runs?\(e(filter.queryString(page: filter.page + 1)))\">older</a>") }
        body += "<p class=\"pages\">page \(filter.page)\(pages.isEmpty ? "" : " · " + pages.joined(separator: " · "))</p>"
        body += "</section>"
        return RunPage.document(title: "Ended runs", now: content.now, signedIn: content.signedIn, body: body)
    }

    /// The filter form, filled in with `filter`.
    static func form(_ filter: RunFilter) -> String {
        let e = StatusPage.escape
        let statuses = RunFilter.statusChoices.map { status in
            "<option\(status == filter.status ? " selected" : "")>\(status)</option>"
        }.joined()
        return "<form class=\"filters\" method=\"get\" action=\"/runs\">"
            + "<label>playbook <input name=\"playbook\" value=\"\(e(filter.playbook ?? ""))\"></label>"
            + "<label>target <input name=\"target\" value=\"\(e(filter.target ?? ""))\"></label>"
            + "<label>status <select name=\"status\">\(statuses)</select></label>"
            + "<label>ended since <input name=\"since\" placeholder=\"2026-01-01T00:00:00Z\" value=\"\(e(filter.since.map(RFC3339.format) ?? ""))\"></label>"
            + "<label>until <input name=\"until\" placeholder=\"2026-01-02\" value=\"\(e(filter.until.map(RFC3339.format) ?? ""))\"></label>"
            + "<label>per page <input name=\"limit\" size=\"3\" value=\"\(filter.limit)\"></label>"
            + "<button type=\"submit\">Filter</button></form>"
    }
}
