import Foundation
import ResponderCore

/// `run-filter`: the query of the public ended-runs page (`GET /runs?status=…&playbook=…&since=…&page=…`), percent-decoded
/// as the server does, read into a filter and its store query.
///
/// Invariants: an accepted filter has a page size from 1 to ``RunFilter/maxLimit`` and a page from 1 to
/// ``RunFilter/maxPage``, asks the store for one run more than a page at the page's offset, and the query string its
/// links carry reads back to the same filter (times to the millisecond, the precision they are printed with).
public enum RunFilterTarget {
    /// Reads `bytes` as a URL query.
    public static func run(_ bytes: [UInt8]) throws {
        let values = parameters(String(decoding: bytes, as: UTF8.self))
        guard let filter = try? RunFilter.parse({ values[$0] }) else { return }
        guard (1...RunFilter.maxLimit).contains(filter.limit), (1...RunFilter.maxPage).contains(filter.page) else {
            throw FuzzInvariantViolation(target: "run-filter", "limit \(filter.limit) or page \(filter.page) out of range")
        }
        let query = filter.storeQuery
        guard query.limit == filter.limit + 1, query.offset == (filter.page - 1) * filter.limit,
              query.statuses == filter.statuses, !query.statuses.isEmpty else {
            throw FuzzInvariantViolation(target: "run-filter", "store query \(query) does not match the filter \(filter)")
        }
        let link = parameters(filter.queryString(page: filter.page))
        guard let again = try? RunFilter.parse({ link[$0] }), same(again, filter) else {
            throw FuzzInvariantViolation(target: "run-filter", "the link \(filter.queryString(page: filter.page)) does not read back as \(filter)")
        }
    }

    /// `a=b&c=d`, percent-decoded (`+` stays a plus, as in Hummingbird's query parameters); the first value of a
    /// name wins.
    static func parameters(_ query: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(halves[0]).removingPercentEncoding else { continue }
            let value = halves.count > 1 ? String(halves[1]).removingPercentEncoding : ""
            if out[name] == nil, let value { out[name] = value }
        }
        return out
    }

    /// Equal filters, times compared to the millisecond.
    private static func same(_ a: RunFilter, _ b: RunFilter) -> Bool {
        func close(_ x: Date?, _ y: Date?) -> Bool {
            switch (x, y) {
            case (nil, nil): return true
            case (let x?, let y?): return abs(x.timeIntervalSince(y)) < 0.001
            default: return false
            }
        }
        return a.statuses == b.statuses && a.status == b.status && a.playbook == b.playbook && a.target == b.target
            && close(a.since, b.since) && close(a.until, b.until) && a.limit == b.limit && a.page == b.page
    }
}
