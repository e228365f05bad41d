import Foundation

/// How many runs there are by status: the open ones (`active`, `held`) now, the ended ones since some instant. Read
/// every few seconds by the run driver for `/metrics` (`responder_runs{status}`), so a scrape never waits for the store.
public struct RunCounts: Sendable, Equatable {
    /// Runs by status: open runs for `active` and `held`, runs ended since the instant asked for the others.
    public var byStatus: [RunStatus: Int]

    /// Counts as given (a status left out counts 0).
    public init(byStatus: [RunStatus: Int] = [:]) {
        self.byStatus = byStatus
    }

    /// How many runs have `status`.
    public subscript(status: RunStatus) -> Int { byStatus[status] ?? 0 }
}

/// A store that counts its runs by status without reading them.
public protocol RunCounting: Sendable {
    /// Open runs by status, and runs that ended at or after `endedSince` by status (indexed counts, no run bodies).
    func runCounts(endedSince: Date) async throws(JournalError) -> RunCounts
}
