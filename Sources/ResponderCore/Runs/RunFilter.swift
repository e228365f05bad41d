import Foundation

/// The filters of the ended-runs page (`GET /runs`), read from its query and validated: `status` (`ended`, the
/// default, or one of `completed`, `aborted`, `preempted`, `failed`), `playbook` and `target` (exact names), `since`
/// and `until` (RFC 3339 date-times or `YYYY-MM-DD` dates, UTC midnight; on the run's end), `limit` (1 to
/// ``maxLimit`` a page) and `page` (from 1).
public struct RunFilter: Sendable, Equatable {
    /// The statuses shown.
    public var statuses: Set<RunStatus>
    /// `ended`, or the one status asked for.
    public var status: String
    /// Only runs of this playbook.
    public var playbook: String?
    /// Only runs owning this target.
    public var target: String?
    /// Only runs that ended at or after this.
    public var since: Date?
    /// Only runs that ended before this.
    public var until: Date?
    /// Runs a page.
    public var limit: Int
    /// The page, from 1.
    public var page: Int

    /// The statuses of an ended run.
    public static let ended = EndedRunQuery.ended
    /// The `status` values the page takes, in the form's order: `ended`, then each ended status.
    public static let statusChoices = ["ended"] + RunStatus.allCases.filter { ended.contains($0) }.map(\.rawValue)
    /// Most runs a page.
    public static let maxLimit = 100
    /// Runs a page by default.
    public static let defaultLimit = 25
    /// Highest page number accepted.
    public static let maxPage = 1000
    /// Longest playbook or target name accepted.
    public static let maxName = 200

    /// A filter value the page refuses, with the message shown (HTTP 400).
    public enum Invalid: Error, Equatable, CustomStringConvertible {
        /// The parameter and what is wrong with it.
        case parameter(String, String)

        /// `since: ...`.
        public var description: String {
            switch self {
            case .parameter(let name, let problem): return "\(name): \(problem)"
            }
        }
    }

    /// The filter `value(name)` describes.
    public static func parse(_ value: (String) -> String?) throws(Invalid) -> RunFilter {
        var filter = RunFilter(statuses: ended, status: "ended", playbook: nil, target: nil, since: nil, until: nil,
                               limit: defaultLimit, page: 1)
        if let status = nonEmpty(value("status")) {
            if status == "ended" {
                filter.statuses = ended
            } else if let one = RunStatus(rawValue: status), ended.contains(one) {
                filter.statuses = [one]
            } else {
                throw .parameter("status", "must be ended, completed, aborted, preempted or failed (open runs are on the status page)")
            }
            filter.status = status
        }
        filter.playbook = try name(value("playbook"), "playbook")
        filter.target = try name(value("target"), "target")
        filter.since = try date(value("since"), "since")
        filter.until = try date(value("until"), "until")
        if let since = filter.since, let until = filter.until, until <= since {
            throw .parameter("until", "must be after since")
        }
        if let limit = nonEmpty(value("limit")) {
            guard let number = Int(limit), number > 0 else { throw .parameter("limit", "must be a whole number from 1 to \(maxLimit)") }
            filter.limit = min(number, maxLimit)
        }
        if let page = nonEmpty(value("page")) {
            guard let number = Int(page), (1...maxPage).contains(number) else {
                throw .parameter("page", "must be a whole number from 1 to \(maxPage)")
            }
            filter.page = number
        }
        return filter
    }

    /// The store query of this filter's page, asking for one run more than a page (so the page knows whether an older
    /// page has runs).
    public var storeQuery: EndedRunQuery {
        EndedRunQuery(statuses: statuses, playbook: playbook, target: target, endedSince: since, endedBefore: until,
                      limit: limit + 1, offset: (page - 1) * limit)
    }

    /// The URL query of this filter on `page` (percent-encoded; default values left out).
    public func queryString(page: Int) -> String {
        var items: [(String, String)] = []
        if status != "ended" { items.append(("status", status)) }
        if let playbook { items.append(("playbook", playbook)) }
        if let target { items.append(("target", target)) }
        if let since { items.append(("since", RFC3339.format(since))) }
        if let until { items.append(("until", RFC3339.format(until))) }
        if limit != Self.defaultLimit { items.append(("limit", String(limit))) }
        if page != 1 { items.append(("page", String(page))) }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~:"))
        return items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    private static func name(_ text: String?, _ parameter: String) throws(Invalid) -> String? {
        guard let text = nonEmpty(text) else { return nil }
        guard text.count <= maxName, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .parameter(parameter, "must be a name of at most \(maxName) characters, without control characters")
        }
        return text
    }

    private static func date(_ text: String?, _ parameter: String) throws(Invalid) -> Date? {
        guard let text = nonEmpty(text) else { return nil }
        if let date = RFC3339.parseAccepted(text) { return date }
        if text.count == 10, let date = RFC3339.parseAccepted(text + "T00:00:00Z") { return date }
        throw .parameter(parameter, "must be an ISO-8601 date-time with a zone, such as 2026-01-01T00:00:00Z, or a date "
            + "such as 2026-01-01 (UTC), \(RFC3339.acceptedYears)")
    }
}
