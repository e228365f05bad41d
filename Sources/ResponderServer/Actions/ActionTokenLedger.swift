import Foundation
import ResponderCore
import ResponderStore

/// Remembers which action links were used, so each acts once.
public protocol ActionTokenLedger: Sendable {
    /// Records the use of `nonce`; false when it was used before.
    func useActionToken(nonce: String, runID: String, action: String, actor: String, at: Date) async throws(JournalError) -> Bool
    /// Forgets a use whose action was refused (the run had ended), so the record says only what happened.
    func releaseActionToken(nonce: String) async throws(JournalError)
}

extension SQLiteJournal: ActionTokenLedger {}
