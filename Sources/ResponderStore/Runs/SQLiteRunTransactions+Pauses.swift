import Foundation
import ResponderCore

/// Pauses go through the same one-at-a-time gate as run transactions: the next transaction's view has a pause set
/// before it, and never one lifted before it. The file changes first, the cache after the commit.
extension SQLiteRunTransactions: PauseStore {
    /// Stores a new pause as `pause-<n>`; see ``PauseStore/addPause(_:)``.
    public func addPause(_ request: PauseRequest) async throws(JournalError) -> Pause {
        try await acquire()
        defer { release() }
        let pause = try await journal.addPause(request)
        pauses.append(pause)
        return pause
    }

    /// Lifts the pauses in force at `now` that `selection` picks; see ``PauseStore/liftPauses(_:by:now:)``.
    public func liftPauses(_ selection: PauseSelection, by: String, now: Date) async throws(JournalError) -> [Pause] {
        try await acquire()
        defer { release() }
        let picked = pauses.filter { $0.isActive(at: now) && selection.picks($0) }
        guard !picked.isEmpty else { return [] }
        // As stored (milliseconds), so what is returned is what a later read shows.
        let at = RFC3339.parse(RFC3339.format(now)) ?? now
        try await journal.markLifted(picked.map(\.id), by: by, at: at)
        return forget(picked, liftedBy: by) { _ in at }
    }

    /// Pauses not lifted, then those lifted since `liftedSince`; see ``PauseStore/pauses(liftedSince:limit:)``.
    public func pauses(liftedSince: Date, limit: Int) async throws(JournalError) -> [Pause] {
        try await acquire()
        defer { release() }
        return try await journal.pauses(liftedSince: liftedSince, limit: limit)
    }

    /// Marks the pauses expired at `now` lifted by `expiry` at their expiry; see ``PauseStore/expirePauses(now:)``.
    public func expirePauses(now: Date) async throws(JournalError) -> [Pause] {
        try await acquire()
        defer { release() }
        let expired = pauses.filter { pause in pause.until.map { $0 <= now } ?? false }
        guard !expired.isEmpty else { return [] }
        try await journal.markExpired(expired.map(\.id))
        return forget(expired, liftedBy: "expiry") { $0.until ?? now }
    }

    /// Drops `lifted` from the pauses in force and returns them marked lifted by `by` at `at(pause)`.
    private func forget(_ lifted: [Pause], liftedBy by: String, at: (Pause) -> Date) -> [Pause] {
        let ids = Set(lifted.map(\.id))
        pauses.removeAll { ids.contains($0.id) }
        return lifted.map { pause in
            var pause = pause
            pause.liftedAt = at(pause)
            pause.liftedBy = by
            return pause
        }
    }
}
