import Foundation
import GRDB
import ResponderCore

extension SQLiteJournal: EventStore {
    /// Stores `draft` as `evt-<n>` after `check` accepted it against the events still to end, in one transaction.
    public func scheduleEvent(_ draft: EventDraft, at now: Date,
                              check: @escaping @Sendable ([ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem> {
        try await write("schedule event \(draft.name)") { db in
            if let occurrence = draft.occurrence,
               let existing = try EventRows.fetch(db, "WHERE playbook = ? AND occurrence = ?", [draft.playbook, occurrence]).first {
                return .failure(.alreadyScheduled(existing.id))
            }
            let others = try EventRows.fetch(db, "WHERE cancelled_at IS NULL AND end_at > ?", [RFC3339.format(now)])
            switch check(others) {
            case .failure(let problem):
                return .failure(problem)
            case .success(let prepareAt):
                try db.execute(sql: """
                    INSERT INTO scheduled_event (playbook, name, start_at, end_at, time_zone, prepare_at, labels,
                                                 annotations, scheduled_by, created_at, revision, occurrence)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                    """, arguments: [draft.playbook, draft.name, RFC3339.format(draft.start), RFC3339.format(draft.end),
                                     draft.timeZone, RFC3339.format(prepareAt), try JournalRows.encode(draft.labels),
                                     try JournalRows.encode(draft.annotations), draft.scheduledBy, RFC3339.format(now),
                                     draft.occurrence])
                guard let stored = try EventRows.fetch(db, "WHERE seq = ?", [db.lastInsertedRowID]).first else {
                    throw JournalError.unavailable("an event was not found right after it was stored")
                }
                return .success(stored)
            }
        }
    }

    /// The event `id`.
    public func event(id: String) async throws(JournalError) -> ScheduledEvent? {
        guard let seq = ScheduledEvent.sequence(of: id) else { return nil }
        return try await read("read event \(id)") { db in try EventRows.fetch(db, "WHERE seq = ?", [seq]).first }
    }

    /// Events ending after `endingAfter`, soonest start first.
    public func events(endingAfter: Date?, limit: Int) async throws(JournalError) -> [ScheduledEvent] {
        try await read("read events") { db in
            if let endingAfter {
                return try EventRows.fetch(db, "WHERE end_at > ? ORDER BY start_at, seq LIMIT ?",
                                           [RFC3339.format(endingAfter), max(0, limit)])
            }
            return try EventRows.fetch(db, "ORDER BY start_at, seq LIMIT ?", [max(0, limit)])
        }
    }

    /// Events whose preparation is due, then those whose run waits for an update.
    public func dueEvents(at now: Date, limit: Int) async throws(JournalError) -> [ScheduledEvent] {
        try await read("read due events") { db in
            let due = try EventRows.fetch(db, """
                WHERE cancelled_at IS NULL AND prepared_at IS NULL AND prepare_at <= ? ORDER BY prepare_at, seq LIMIT ?
                """, [RFC3339.format(now), max(0, limit)])
            let updates = try EventRows.fetch(db, """
                WHERE prepared_at IS NOT NULL AND prepared_revision < revision ORDER BY seq LIMIT ?
                """, [max(0, limit - due.count)])
            return due + updates
        }
    }

    /// The earliest preparation still to come (the earliest time there is when a run waits for an update).
    public func nextEventPreparation() async throws(JournalError) -> Date? {
        try await read("read the next event preparation") { db in
            if try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM scheduled_event WHERE prepared_at IS NOT NULL AND prepared_revision < revision)
                """) == true {
                return Date(timeIntervalSince1970: 0)
            }
            return try String.fetchOne(db, sql: """
                SELECT MIN(prepare_at) FROM scheduled_event WHERE cancelled_at IS NULL AND prepared_at IS NULL
                """).flatMap { JournalRows.date($0) }
        }
    }

    /// Journals the event's alert and marks it prepared at its revision, if it is unchanged and still due.
    public func prepareEvent(_ event: ScheduledEvent, alert: NormalizedAlert?, at now: Date) async throws(JournalError) -> Bool {
        try await write("prepare event \(event.id)") { db in
            try db.execute(sql: """
                UPDATE scheduled_event SET prepared_at = COALESCE(prepared_at, ?), prepared_revision = revision
                WHERE seq = ? AND revision = ?
                  AND ((cancelled_at IS NULL AND prepared_at IS NULL) OR (prepared_at IS NOT NULL AND prepared_revision < revision))
                """, arguments: [RFC3339.format(now), ScheduledEvent.sequence(of: event.id) ?? -1, event.revision])
            guard db.changesCount == 1 else { return false }
            guard let alert else { return true }
            let delivery = Delivery(kind: .scheduledEvent, idempotencyKey: alert.idempotencyKey, receivedAt: now,
                                    details: ["event": event.id, "revision": "\(event.revision)"], body: "")
            _ = try JournalWriter(db: db).record(delivery, alerts: [alert], plans: [:])
            return true
        }
    }

    /// Moves event `id` after `check` accepted the new window.
    public func moveEvent(id: String, start: Date, end: Date, timeZone: String?, at now: Date,
                          check: @escaping @Sendable (ScheduledEvent, [ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem>? {
        guard let seq = ScheduledEvent.sequence(of: id) else { return nil }
        return try await write("move event \(id)") { db in
            guard let event = try EventRows.fetch(db, "WHERE seq = ?", [seq]).first else { return nil }
            let others = try EventRows.fetch(db, "WHERE cancelled_at IS NULL AND end_at > ? AND seq <> ?", [RFC3339.format(now), seq])
            let moved = event.moved(start: start, end: end, timeZone: timeZone, others: others, check: check)
            if case .success(let event) = moved {
                try db.execute(sql: """
                    UPDATE scheduled_event SET start_at = ?, end_at = ?, time_zone = ?, prepare_at = ?, revision = ? WHERE seq = ?
                    """, arguments: [RFC3339.format(start), RFC3339.format(end), event.timeZone, RFC3339.format(event.prepareAt),
                                     event.revision, seq])
            }
            return moved
        }
    }

    /// Cancels event `id`; one whose run started gets a new revision, so the run is told.
    public func cancelEvent(id: String, by actor: String, mode: ScheduledEvent.CancelMode, at now: Date)
        async throws(JournalError) -> ScheduledEvent? {
        guard let seq = ScheduledEvent.sequence(of: id) else { return nil }
        return try await write("cancel event \(id)") { db in
            try db.execute(sql: """
                UPDATE scheduled_event SET cancelled_at = ?, cancelled_by = ?, cancel_mode = ?,
                    revision = revision + (CASE WHEN prepared_at IS NULL THEN 0 ELSE 1 END)
                WHERE seq = ? AND cancelled_at IS NULL
                """, arguments: [RFC3339.format(now), actor, mode.rawValue, seq])
            return try EventRows.fetch(db, "WHERE seq = ?", [seq]).first
        }
    }
}

/// Rows of table `scheduled_event`.
enum EventRows {
    /// The events `clause` (a WHERE and/or ORDER BY tail) selects; unreadable rows are skipped.
    static func fetch(_ db: Database, _ clause: String, _ arguments: StatementArguments) throws -> [ScheduledEvent] {
        try Row.fetchAll(db, sql: "SELECT * FROM scheduled_event \(clause)", arguments: arguments).compactMap(event)
    }

    /// A row as an event; nil when it is unreadable.
    static func event(_ row: Row) -> ScheduledEvent? {
        guard let seq: Int64 = row["seq"], let playbook: String = row["playbook"], let name: String = row["name"],
              let start = JournalRows.date(row["start_at"]), let end = JournalRows.date(row["end_at"]),
              let prepareAt = JournalRows.date(row["prepare_at"]), let createdAt = JournalRows.date(row["created_at"]),
              let revision: Int = row["revision"], let scheduledBy: String = row["scheduled_by"] else { return nil }
        return ScheduledEvent(
            id: "evt-\(seq)", playbook: playbook, name: name, start: start, end: end, timeZone: row["time_zone"], prepareAt: prepareAt,
            labels: (try? JournalRows.decodeMap(row["labels"])) ?? [:],
            annotations: (try? JournalRows.decodeMap(row["annotations"])) ?? [:],
            scheduledBy: scheduledBy, createdAt: createdAt, revision: revision,
            preparedAt: JournalRows.date(row["prepared_at"]), cancelledAt: JournalRows.date(row["cancelled_at"]),
            cancelledBy: row["cancelled_by"], cancelMode: (row["cancel_mode"] as String?).flatMap(ScheduledEvent.CancelMode.init),
            preparedRevision: row["prepared_revision"], occurrence: row["occurrence"]
        )
    }
}
