import Foundation
import ResponderCore
@testable import ResponderServer
import ResponderTestSupport
import Testing

/// The ended-runs page's filters (``RunFilter``), without a server.
@Suite("run filter")
struct RunFilterTests {
    /// 2026-01-01T00:00:00Z.
    static let start = RunSamples.start

    @Test("ended-runs filters: validated with a clear message, bounded page size, a query that round-trips")
    func filters() throws {
        func parse(_ query: [String: String]) throws(RunFilter.Invalid) -> RunFilter { try RunFilter.parse { query[$0] } }
        let all = try parse([:])
        #expect(all.statuses == RunFilter.ended && all.limit == 25 && all.page == 1)
        let some = try parse(["status": "aborted", "playbook": "p", "target": "worker", "since": "2026-01-01",
                              "until": "2026-01-02T12:00:00+02:00", "limit": "100000", "page": "3"])
        #expect(some.statuses == [.aborted] && some.limit == RunFilter.maxLimit && some.page == 3)
        #expect(some.since == Self.start && some.until == Self.start.addingTimeInterval(86_400 + 36_000))
        #expect(try parse(["status": "aborted", "playbook": "p", "target": "worker", "since": "2026-01-01T00:00:00Z",
                           "until": "2026-01-02T10:00:00Z", "limit": "100", "page": "3"]) == some)
        #expect(some.queryString(page: 4) == "status=aborted&playbook=p&target=worker&since=2026-01-01T00:00:00.000Z&"
            + "until=2026-01-02T10:00:00.000Z&limit=100&page=4")
        #expect(throws: RunFilter.Invalid.parameter("since", "must be an ISO-8601 date-time with a zone, such as 2026-01-01T00:00:00Z, "
            + "or a date such as 2026-01-01 (UTC), between the years 1970 and 9999")) { try parse(["since": "yesterday"]) }
        #expect(throws: RunFilter.Invalid.self) { try parse(["until": "2026-01-01", "since": "2026-01-02"]) }
        #expect(throws: RunFilter.Invalid.self) { try parse(["status": "active"]) }
        #expect(throws: RunFilter.Invalid.self) { try parse(["limit": "-1"]) }
        #expect(throws: RunFilter.Invalid.self) { try parse(["page": "99999999999999999999"]) }
        #expect(throws: RunFilter.Invalid.self) { try parse(["target": "a\u{0}b"]) }

        let query = try parse(["status": "aborted", "target": "worker", "since": "2026-01-01T00:01:00Z", "limit": "10", "page": "3"]).storeQuery
        #expect(query == EndedRunQuery(statuses: [.aborted], target: "worker", endedSince: Self.start.addingTimeInterval(60),
                                       limit: 11, offset: 20), "one run more than a page, to know whether there is another")
    }
}
