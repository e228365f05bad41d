import Foundation

/// The store port retention deletes through: the SQLite journal and the PostgreSQL store implement it.
///
/// Every call is bounded (one batch), so a pass never holds the write lock for long and ingest keeps its latency.
public protocol RetentionStore: Sendable {
    /// Deletes at most `limit` records of `kind` written before `cutoff` that nothing still needs (an open run's
    /// alerts, unprocessed alerts, pending notifications and their runs, the highest-numbered run, each target's last
    /// dry-run scale, the newest firing alert of each fingerprint);
    /// returns how many records it deleted (for raw bodies: how many bodies it emptied).
    func purge(_ kind: RetentionKind, before cutoff: Date, limit: Int) async throws(JournalError) -> Int
    /// Gives space freed by deletes back to the file system where the store can, a bounded amount per call.
    func reclaimSpace() async throws(JournalError)
    /// The store's size and the age of its oldest records (cheap: index look-ups only).
    func footprint() async throws(JournalError) -> StoreFootprint
}
