import Foundation
import PostgresNIO
import ResponderCore
import ResponderStore

extension PostgresStore: PauseStore {
    /// Stores `request` as `pause-<n>`, `n` from a sequence (unique across replicas, never reused), and returns the
    /// pause as stored; the next run transaction of any replica has it in its view.
    public func addPause(_ request: PauseRequest) async throws(JournalError) -> Pause {
        try StoredGuardrailRows.check(request)
        let rows = try await rows("store a pause", """
            INSERT INTO pause (id, number, target, direction, mode, reason, created_by, since, until)
            SELECT 'pause-' || next.number, next.number, \(request.target), \(request.direction.rawValue), \(request.mode.rawValue),
                   \(request.reason), \(request.by), \(PostgresInstant(request.since)), \(request.until.instant)
            FROM (SELECT nextval('pause_number') AS number) AS next
            RETURNING \(unescaped: Self.pauseColumns)
            """)
        guard let pause = read(rows).first else {
            throw .unavailable("could not store a pause: the stored row did not read back; see the unreadable rows reported")
        }
        return pause
    }

    /// Lifts the pauses in force at `now` that `selection` picks, in one statement: of two replicas lifting the same
    /// pause, one lifts it.
    public func liftPauses(_ selection: PauseSelection, by: String, now: Date) async throws(JournalError) -> [Pause] {
        let at = PostgresInstant(now)
        let id: String?
        let target: String?
        let direction: String?
        switch selection {
        case .id(let picked): (id, target, direction) = (picked, nil, nil)
        case .scope(let picked, let pickedDirection): (id, target, direction) = (nil, picked, pickedDirection?.rawValue)
        }
        // One statement for both selections: by id, or by target (NULL for global) and direction (NULL for any).
        let rows = try await rows("lift pauses", """
            UPDATE pause SET lifted_at = \(at), lifted_by = \(by)
            WHERE lifted_at IS NULL AND (until IS NULL OR until > \(at))
              AND CASE WHEN \(id)::text IS NOT NULL THEN id = \(id)
                       ELSE target IS NOT DISTINCT FROM \(target) AND (\(direction)::text IS NULL OR direction = \(direction)) END
            RETURNING \(unescaped: Self.pauseColumns)
            """)
        return read(rows).sorted { Self.number($0) < Self.number($1) }
    }

    /// Every pause not lifted (by number), then up to `limit` lifted at or after `liftedSince`, most recently lifted
    /// first, read in one statement.
    public func pauses(liftedSince: Date, limit: Int) async throws(JournalError) -> [Pause] {
        let rows = try await rows("read pauses", """
            SELECT \(unescaped: Self.pauseColumns) FROM (
                (SELECT *, 0 AS part FROM pause WHERE lifted_at IS NULL)
                UNION ALL
                (SELECT *, 1 AS part FROM pause WHERE lifted_at >= \(PostgresInstant(liftedSince))
                 ORDER BY lifted_at DESC, number DESC LIMIT \(max(0, limit)))
            ) AS listed
            ORDER BY part, CASE WHEN part = 0 THEN number END, lifted_at DESC, number DESC
            """)
        return read(rows)
    }

    /// Marks the pauses whose expiry is at or before `now` lifted by `expiry` at their expiry, in one statement: a
    /// replica racing this one waits for its row locks, then finds them lifted, so each pause is returned once.
    public func expirePauses(now: Date) async throws(JournalError) -> [Pause] {
        let rows = try await rows("mark expired pauses", """
            UPDATE pause SET lifted_at = until, lifted_by = 'expiry'
            WHERE lifted_at IS NULL AND until <= \(PostgresInstant(now))
            RETURNING \(unescaped: Self.pauseColumns)
            """)
        return read(rows).sorted { Self.number($0) < Self.number($1) }
    }

    /// The pauses of `rows`; unusable ones are reported with the unreadable runs and skipped.
    private func read(_ rows: [PostgresRow]) -> [Pause] {
        rows.compactMap { Self.pause($0).reported(to: unreadable) }
    }

    private static func number(_ pause: Pause) -> Int {
        Int(pause.id.dropFirst("pause-".count)) ?? 0
    }
}
