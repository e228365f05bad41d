/// Why the journal could not do what was asked.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The store cannot be written right now (disk full, locked, I/O error); senders should retry later.
    case unavailable(String)
    /// The store is in a state this version cannot use (newer schema, corrupt file).
    case incompatible(String)

    /// The message alone, for logs and errors people read.
    public var description: String {
        switch self {
        case .unavailable(let message), .incompatible(let message): return message
        }
    }
}

/// The durable record of every accepted delivery and normalized alert.
///
/// `record` returns only after the data is committed, so answering 2xx after it returns is safe.
public protocol AlertJournal: Sendable {
    /// Stores `delivery` and those of `alerts` not already journaled, atomically, and reports what was new.
    ///
    /// A delivery whose idempotency key was seen before stores nothing. A delivery without a key whose alerts are
    /// all known stores nothing either, so HA duplicates leave no trace beyond the receipt.
    /// `plans` holds, by alert idempotency key, the plan computed for that alert (JSON); it is stored with the alert.
    func record(_ delivery: Delivery, alerts: [NormalizedAlert], plans: [String: String]) async throws(JournalError) -> JournalReceipt

    /// The receipt `record` would give if `delivery` stores nothing (its key was seen, or a keyless delivery whose
    /// alerts are all known), read without writing; nil when it may hold something new. Lets a caller skip work (the
    /// plans) that only new alerts need.
    func duplicateReceipt(_ delivery: Delivery, alerts: [NormalizedAlert]) async throws(JournalError) -> JournalReceipt?

    /// The most recent alerts, newest first.
    func recentAlerts(limit: Int) async throws(JournalError) -> [JournaledAlert]

    /// Throws when a write could not be committed now; used by readiness checks.
    func checkWritable() async throws(JournalError)
}

extension AlertJournal {
    /// No read-only answer: every delivery goes through `record`.
    public func duplicateReceipt(_ delivery: Delivery, alerts: [NormalizedAlert]) async throws(JournalError) -> JournalReceipt? {
        nil
    }

    /// Records a delivery whose alerts carry no plan.
    public func record(_ delivery: Delivery, alerts: [NormalizedAlert]) async throws(JournalError) -> JournalReceipt {
        try await record(delivery, alerts: alerts, plans: [:])
    }
}
