import Foundation

/// Which ended runs to read, one page at a time: the stores answer it from their columns (status, playbook, targets,
/// end time), newest start first, so a filter reaches every stored run, not only the most recent ones.
public struct EndedRunQuery: Sendable, Equatable {
    /// Ended statuses to include (any status that is not open; open ones are never returned).
    public var statuses: Set<RunStatus>
    /// Only runs of this playbook.
    public var playbook: String?
    /// Only runs that owned this target.
    public var target: String?
    /// Only runs that ended at or after this time.
    public var endedSince: Date?
    /// Only runs that ended before this time.
    public var endedBefore: Date?
    /// Most runs returned (clamped to 0 ... ``maxLimit``).
    public var limit: Int
    /// Runs skipped first (clamped to 0 ... ``maxOffset``).
    public var offset: Int

    /// Most runs one query returns.
    public static let maxLimit = 1000
    /// Most runs one query skips.
    public static let maxOffset = 1_000_000
    /// Every status of an ended run.
    public static let ended: Set<RunStatus> = [.completed, .aborted, .preempted, .failed]

    /// Creates a query; `limit` and `offset` are clamped, open statuses dropped.
    public init(statuses: Set<RunStatus> = ended, playbook: String? = nil, target: String? = nil, endedSince: Date? = nil,
                endedBefore: Date? = nil, limit: Int, offset: Int = 0) {
        self.statuses = statuses.intersection(Self.ended)
        self.playbook = playbook
        self.target = target
        self.endedSince = endedSince
        self.endedBefore = endedBefore
        self.limit = min(max(limit, 0), Self.maxLimit)
        self.offset = min(max(offset, 0), Self.maxOffset)
    }

    /// The statuses as sorted text, for the stores' `IN` lists.
    public var statusNames: [String] { statuses.map(\.rawValue).sorted() }
}
