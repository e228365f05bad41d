import Foundation
import Testing

@testable import ResponderServer

/// The run page's "Requests made": the live requests each step kept, then the dry-run ledger's.
@Suite struct RunPageRequestsTests {
    @Test("live requests are listed by step, escaped; with neither kind the page says none was made")
    func liveRows() {
        let html = RunPage.requestsSection([], live: [(1, "POST https://api.example:443/warm/<b>x</b> → HTTP 200")])
        #expect(html.contains("Requests made (1)"))
        #expect(html.contains(#"<tr class="live-request-row"><td>1</td>"#))
        #expect(html.contains("/warm/&lt;b&gt;x&lt;/b&gt; → HTTP 200") && !html.contains("<b>x"))
        let empty = RunPage.requestsSection([])
        #expect(empty.contains("Requests made (0)") && empty.contains("No requests"))
    }
}
