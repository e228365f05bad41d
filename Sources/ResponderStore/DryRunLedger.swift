import Foundation
import ResponderCore

/// Where the dry-run executor keeps the calls it records: table `executor_call` of the SQLite journal, or of the
/// PostgreSQL store when replicas share one.
public protocol DryRunLedger: Sendable {
    /// In one transaction: returns nil when step `step` of `runID` is already recorded; otherwise hands the run's alert
    /// (as a template; nil when the run or its alert is not stored) to `render`, inserts the call it returns, if any,
    /// and returns its result.
    func recordOnce<Result: Sendable>(
        runID: String, step: Int, _ render: @escaping @Sendable (AlertTemplate?) -> (call: RecordedCall?, result: Result)
    ) async throws(JournalError) -> Result?

    /// The last recorded scale of each of `targets` that has one.
    func lastScaled(targets: [String]) async throws(JournalError) -> [String: Int]

    /// Recorded calls in the order they were made, of one run or of all.
    func recordedCalls(runID: String?) async throws(JournalError) -> [RecordedCall]

    /// The alert run `runID` was started by, as a template context (its firing version when there is one); nil when
    /// the run or its alert is not stored or the store cannot be read.
    func alertTemplate(forRun runID: String) async -> AlertTemplate?
}
