import Foundation
import ResponderCore

/// Checks of `pause` and `action_record` rows as a store read them (SQLite or PostgreSQL), before they are trusted:
/// another version, or someone with SQL, may have written anything, so every value is checked instead of trapping.
package enum StoredGuardrailRows {
    /// The pause a row's values make, or why the row cannot be used.
    package static func pause(id: String, number: Int64, target: String?, direction: String, mode: String, reason: String,
                              by: String, since: Date, until: Date?, liftedAt: Date?, liftedBy: String?) -> Result<Pause, StoredRowError> {
        func unusable(_ why: String) -> Result<Pause, StoredRowError> { .failure(.pause(id, why)) }
        guard number >= 1, id == "pause-\(number)" else { return unusable("its id does not match its number \(number)") }
        guard let pauseDirection = PauseDirection(rawValue: direction) else {
            return unusable("its direction \"\(direction)\" is not up, down or both")
        }
        guard let pauseMode = PauseMode(rawValue: mode) else { return unusable("its mode \"\(mode)\" is not wait or skip") }
        for (column, date) in [("since", since), ("until", until), ("lifted_at", liftedAt)] {
            if let date, !RFC3339.acceptedRange.contains(date) {
                return unusable("its \(column) is not \(RFC3339.acceptedYears)")
            }
        }
        guard (liftedAt == nil) == (liftedBy == nil) else { return unusable("it has only one of lifted_at and lifted_by") }
        var pause = Pause(id: id, target: target, direction: pauseDirection, mode: pauseMode, reason: reason, by: by, since: since,
                          until: until)
        pause.liftedAt = liftedAt
        pause.liftedBy = liftedBy
        return .success(pause)
    }

    /// The action record a row's values make, or why the row cannot be used.
    package static func action(runID: String, step: Int64, playbook: String, target: String?, at: Date,
                               dryRun: Bool) -> Result<ActionRecord, StoredRowError> {
        guard (0...Int64(Int32.max)).contains(step) else { return .failure(.action(runID, step, "its step \(step) is not a step index")) }
        guard RFC3339.acceptedRange.contains(at) else { return .failure(.action(runID, step, "its time is not \(RFC3339.acceptedYears)")) }
        return .success(ActionRecord(runID: runID, step: Int(step), playbook: playbook, target: target, at: at, dryRun: dryRun))
    }

    /// Refuses a request whose times could not be read back (outside ``RFC3339/acceptedRange``).
    package static func check(_ request: PauseRequest) throws(JournalError) {
        for date in [request.since] + (request.until.map { [$0] } ?? []) where !RFC3339.acceptedRange.contains(date) {
            throw .incompatible("could not store the pause: its start and expiry must lie \(RFC3339.acceptedYears); give an expiry in that range")
        }
    }
}

/// A stored pause or action record this version cannot use: it is skipped and reported with the unreadable runs
/// (``RunRepository/unreadableRuns()``), under ``key``, never trusted and never a crash.
package struct StoredRowError: Error, Sendable, Equatable {
    /// What the report is filed under: the pause id, or `action <run> step <n>`.
    package var key: String
    /// What is wrong and what to do.
    package var message: String

    /// A pause row that cannot be used.
    package static func pause(_ id: String, _ why: String) -> StoredRowError {
        StoredRowError(key: id, message: "pause \(id) is ignored: \(why) (written by another version or by hand); "
                       + "fix the row or set its lifted_at, and set the pause again if it is still wanted")
    }

    /// An action record row that cannot be used.
    package static func action(_ runID: String, _ step: Int64, _ why: String) -> StoredRowError {
        StoredRowError(key: "action \(runID) step \(step)", message: "the action record of \(runID) step \(step) is ignored: \(why) "
                       + "(written by another version or by hand); it does not count against limits; fix or delete the row")
    }

    /// Notes the row in `unreadable`.
    package func report(to unreadable: UnreadableRuns) {
        unreadable.record(key, message)
    }
}

extension Result where Failure == StoredRowError {
    /// The value, or nil after reporting the row to `unreadable`.
    package func reported(to unreadable: UnreadableRuns) -> Success? {
        switch self {
        case .success(let value): return value
        case .failure(let error):
            error.report(to: unreadable)
            return nil
        }
    }
}
