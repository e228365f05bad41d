import Foundation
import Logging
import ResponderCore

/// Pauses: set and lifted by people (`/api/pause`, `responder pause`), lifted by Responder at their expiry; each is
/// announced in chat once, and the runs they stop tell their own threads once.
extension RunCoordinator {
    /// Stores a pause (in force for every replica's next run transaction), announces it, and returns it.
    public func pause(_ request: PauseRequest) async throws(JournalError) -> Pause {
        let pause = try await store.addPause(request)
        logger.notice("pause set", metadata: ["pause": "\(pause.id)", "scope": "\(pause.scope)", "direction": "\(pause.direction.rawValue)",
                                              "by": "\(pause.by)", "reason": "\(pause.reason)"])
        await announce(PauseAnnouncement.set(pause), eventID: pause.id)
        wakeUp.wake()
        return pause
    }

    /// Lifts the pauses `selection` picks, announces each, and returns them (none when nothing matched). Steps they
    /// stopped run within ``EngineSettings/pauseRecheck``.
    public func liftPauses(_ selection: PauseSelection, by actor: String) async throws(JournalError) -> [Pause] {
        let lifted = try await store.liftPauses(selection, by: actor, now: now)
        for pause in lifted {
            logger.notice("pause lifted", metadata: ["pause": "\(pause.id)", "by": "\(actor)"])
            await announce(PauseAnnouncement.lifted(pause, by: actor, at: now), eventID: pause.id)
        }
        if !lifted.isEmpty { wakeUp.wake() }
        return lifted
    }

    /// Pauses not lifted, then those lifted at or after `liftedSince` (at most `limit`).
    public func pauses(liftedSince: Date, limit: Int) async throws(JournalError) -> [Pause] {
        try await store.pauses(liftedSince: liftedSince, limit: limit)
    }

    /// Marks the pauses past their expiry lifted and announces each once (whichever replica marked it).
    func expirePauses(at now: Date) async {
        do {
            for pause in try await store.expirePauses(now: now) {
                logger.notice("pause expired", metadata: ["pause": "\(pause.id)"])
                await announce(PauseAnnouncement.expired(pause), eventID: pause.id)
            }
        } catch {
            logger.error("expired pauses not marked; retrying at the next tick (they already stop nothing)",
                         metadata: ["error": "\(error)"])
        }
    }
}
