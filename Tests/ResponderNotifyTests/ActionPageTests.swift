import Foundation
import ResponderCore
import Testing
@testable import ResponderNotify

@Suite struct ActionPageTests {
    static let hostile = #"<script>alert("x")</script>' onmouseover='y"#
    static let claim = ActionClaim(run: "run-1<b>", action: .abort, expiresAt: Date(timeIntervalSince1970: 1_790_000_000),
                                   keyID: "k1", nonce: "n")

    /// Fails when `html` holds markup the page did not write itself.
    private func expectNoInjection(_ html: String) {
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("' onmouseover"))
        #expect(!html.contains("\"x\""))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y"))
    }

    @Test func confirmPageShowsTheRunEscapedWithAPostForm() {
        let summary = ActionPage.RunSummary(id: "run-1<b>", playbook: Self.hostile, alert: Self.hostile, status: .active,
                                            nextStep: Self.hostile)
        let html = ActionPage.confirm(claim: Self.claim, runSummary: summary, formAction: "/actions/tok\"en?x=<y>")
        expectNoInjection(html)
        #expect(html.contains("run-1&lt;b&gt;"))
        #expect(html.contains(#"<meta name="robots" content="noindex">"#))
        #expect(html.contains(#"<form method="post" action="/actions/tok&quot;en?x=&lt;y&gt;">"#))
        #expect(html.contains(#"name="actor""#))
        #expect(html.contains(#"maxlength="100""#))
        #expect(html.contains(#"<button type="submit">Abort run</button>"#))
        #expect(html.contains("every pending step is cancelled"))
        #expect(html.contains("2026-09-21T"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test func confirmPageNamesEachCommand() {
        let summary = ActionPage.RunSummary(id: "run-1", playbook: "scale-up", alert: nil, status: .held)
        for (command, verb) in [(RunCommand.ack, "Acknowledge"), (.hold, "Hold step-down"), (.resume, "Resume"), (.abort, "Abort run")] {
            var claim = Self.claim
            claim.action = command
            let html = ActionPage.confirm(claim: claim, runSummary: summary, formAction: "/a/t")
            #expect(html.contains("<h1>\(verb)?</h1>"))
            #expect(html.contains("<td>held</td>"))
            #expect(!html.contains("Next step"))
        }
    }

    @Test func resultPagesEscapeAndCarryTheirStatus() {
        for outcome in ActionPage.Outcome.allCases {
            let html = ActionPage.result(title: Self.hostile, message: Self.hostile, status: outcome)
            expectNoInjection(html)
            #expect(html.contains(#"<meta name="robots" content="noindex">"#))
            #expect(html.contains(#"class="box \#(outcome.rawValue)""#))
        }
        #expect(ActionPage.Outcome.done.httpStatus == 200)
        #expect(ActionPage.Outcome.expired.httpStatus == 410)
        #expect(ActionPage.Outcome.invalid.httpStatus == 403)
        #expect(ActionPage.Outcome.alreadyUsed.httpStatus == 409)
    }

    @Test func cspAllowsExactlyThePageStyle() {
        let csp = ActionPage.contentSecurityPolicy
        #expect(csp.hasPrefix("default-src 'none'; style-src 'sha256-"))
        #expect(csp.contains("form-action 'self'") && csp.contains("frame-ancestors 'none'"))
        #expect(ActionPage.recommendedHeaders.contains { $0.name == "Referrer-Policy" && $0.value == "no-referrer" })
        let html = ActionPage.result(title: "t", message: "m", status: .done)
        #expect(!html.contains("<script"))
        #expect(html.contains("<style>\(ActionPageHTML.style)</style>"))
    }

    @Test func actorNameFromTheFormIsCleanedAndCapped() {
        #expect(ActionPage.actorName(formBody: Array("actor=Ada+Lovelace".utf8)) == "Ada Lovelace")
        #expect(ActionPage.actorName(formBody: Array("actor=%E2%80%AEevil%0A%20".utf8)) == "evil")
        #expect(ActionPage.actorName(formBody: Array("actor=".utf8)) == nil)
        #expect(ActionPage.actorName(formBody: Array("other=x".utf8)) == nil)
        #expect(ActionPage.actorName(formBody: Array("actor=%zz".utf8)) == nil)
        let long = ActionPage.actorName(formBody: Array(("actor=" + String(repeating: "é", count: 300)).utf8))
        #expect(long?.count == ActionPage.maxActorLength)
    }
}
