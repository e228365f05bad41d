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
        await observePauses(at: now)
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
        if !lifted.isEmpty {
            await observePauses(at: now)
            await recheck(blockedBy: Set(lifted.map(\.id)))
        }
        return lifted
    }

    /// The open runs waiting for one of the pauses `ids` look again now (each in its own transaction, whichever
    /// replica runs it), instead of at their next re-check.
    func recheck(blockedBy ids: Set<String>) async {
        let open: [Run]
        do { open = try await store.openRuns() } catch {
            logger.warning("runs waiting for a lifted pause are re-checked at their next re-check", metadata: ["error": "\(error)"])
            return
        }
        let (settings, notifier, at) = (self.settings, self.notifier, now)
        for run in open where run.steps.contains(where: { $0.blocked.map { ids.contains($0.key) } ?? false }) {
            _ = await transact(.run(id: run.id), at: at, doing: "re-check \(run.id) after a pause was lifted",
                               trace: .current("engine pause lifted")) { view in
                guard let stored = view.runs.first else { return Self.unchanged(false) }
                var engine = RunEngine(runs: [stored], settings: settings, restoring: false)
                engine.guardrails = view.guardrails
                guard engine.recheckBlocked(runID: stored.id, keys: ids, now: at) else { return Self.unchanged(false) }
                let effects = engine.handle(.tick, now: at)
                return Self.outcome(&engine, before: [stored], notifier: notifier, at: at, effects: effects, value: true)
            }
        }
        wakeUp.wake()
    }

    /// Pauses not lifted, then those lifted at or after `liftedSince` (at most `limit`).
    public func pauses(liftedSince: Date, limit: Int) async throws(JournalError) -> [Pause] {
        try await store.pauses(liftedSince: liftedSince, limit: limit)
    }

    /// Marks the pauses past their expiry lifted and announces each once (whichever replica marked it); every
    /// ``pauseReadInterval`` (and after an expiry) reads the pauses in force for ``pausesObserved``.
    func refreshPauses(at now: Date) async {
        var expired = false
        do {
            for pause in try await store.expirePauses(now: now) {
                expired = true
                logger.notice("pause expired", metadata: ["pause": "\(pause.id)"])
                await announce(PauseAnnouncement.expired(pause), eventID: pause.id)
            }
        } catch {
            logger.error("expired pauses not marked; retrying at the next tick (they already stop nothing)",
                         metadata: ["error": "\(error)"])
        }
        if expired || now.timeIntervalSince(lastPauseRead) >= Self.pauseReadInterval { await observePauses(at: now) }
    }

    /// How often the pauses in force are read for `/metrics`, in seconds (other replicas' pauses show this late).
    static let pauseReadInterval = 5.0

    /// Reads the pauses in force and tells ``pausesObserved``; a store that fails leaves the last reading.
    func observePauses(at now: Date) async {
        guard let pauses = try? await store.pauses(liftedSince: now, limit: 0) else { return }
        lastPauseRead = now
        pausesObserved(pauses, now)
    }
}
