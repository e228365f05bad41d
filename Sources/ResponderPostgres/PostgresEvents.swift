import Foundation
import PostgresNIO
import ResponderCore
import ResponderStore

extension PostgresStore: EventStore {
    /// Serializes scheduling and moving across replicas, so the overlap check sees every event the others stored.
    static let eventsLock: Int64 = 0x5265_7370_6F6E_0003

    /// Stores `draft` as `evt-<n>` after `check` accepted it against the events still to end, in one transaction
    /// under the events lock.
    public func scheduleEvent(_ draft: EventDraft, at now: Date,
                              check: @escaping @Sendable ([ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem> {
        let logger = self.logger
        let labels = try eventJSON(draft.labels)
        let annotations = try eventJSON(draft.annotations)
        return try await transaction("schedule event \(draft.name)") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.eventsLock))", logger: logger)
            if let occurrence = draft.occurrence, let existing = try await Self.events(on: connection, logger: logger, """
                WHERE playbook = \(draft.playbook) AND occurrence = \(occurrence)
                """).first {
                return .failure(.alreadyScheduled(existing.id))
            }
            let others = try await Self.events(on: connection, logger: logger, """
                WHERE cancelled_at IS NULL AND end_at > \(PostgresInstant(now))
                """)
            switch check(others) {
            case .failure(let problem):
                return .failure(problem)
            case .success(let prepareAt):
                let rows = try await connection.query("""
                    INSERT INTO scheduled_event (playbook, name, start_at, end_at, time_zone, prepare_at, labels, annotations,
                                                 scheduled_by, created_at, revision, occurrence)
                    VALUES (\(draft.playbook), \(draft.name), \(PostgresInstant(draft.start)), \(PostgresInstant(draft.end)),
                            \(draft.timeZone), \(PostgresInstant(prepareAt)), \(labels), \(annotations), \(draft.scheduledBy),
                            \(PostgresInstant(now)), 1, \(draft.occurrence))
                    RETURNING \(unescaped: Self.eventColumns)
                    """, logger: logger).collect()
                guard let stored = try rows.first.flatMap(Self.event) else {
                    throw JournalError.unavailable("an event was not returned by the insert that stored it")
                }
                return .success(stored)
            }
        }
    }

    /// The event `id`.
    public func event(id: String) async throws(JournalError) -> ScheduledEvent? {
        guard let seq = ScheduledEvent.sequence(of: id) else { return nil }
        let rows = try await rows("read event \(id)", "SELECT \(unescaped: Self.eventColumns) FROM scheduled_event WHERE seq = \(seq)")
        return try decode("read event \(id)") { try rows.first.flatMap(Self.event) }
    }

    /// Events ending after `endingAfter`, soonest start first.
    public func events(endingAfter: Date?, limit: Int) async throws(JournalError) -> [ScheduledEvent] {
        let after = PostgresInstant(endingAfter ?? Date(timeIntervalSince1970: -62_135_596_800))
        let rows = try await rows("read events", """
            SELECT \(unescaped: Self.eventColumns) FROM scheduled_event WHERE end_at > \(after)
            ORDER BY start_at, seq LIMIT \(max(0, limit))
            """)
        return try decode("read events") { try rows.compactMap(Self.event) }
    }

    /// Events whose preparation is due, then those whose run waits for an update.
    public func dueEvents(at now: Date, limit: Int) async throws(JournalError) -> [ScheduledEvent] {
        let rows = try await rows("read due events", """
            SELECT \(unescaped: Self.eventColumns) FROM (
                (SELECT *, 0 AS part FROM scheduled_event
                 WHERE cancelled_at IS NULL AND prepared_at IS NULL AND prepare_at <= \(PostgresInstant(now))
                 ORDER BY prepare_at, seq LIMIT \(max(0, limit)))
                UNION ALL
                (SELECT *, 1 AS part FROM scheduled_event
                 WHERE prepared_at IS NOT NULL AND prepared_revision < revision ORDER BY seq LIMIT \(max(0, limit)))
            ) AS due ORDER BY part, prepare_at, seq LIMIT \(max(0, limit))
            """)
        return try decode("read due events") { try rows.compactMap(Self.event) }
    }

    /// The earliest preparation still to come (the earliest time there is when a run waits for an update).
    public func nextEventPreparation() async throws(JournalError) -> Date? {
        let rows = try await rows("read the next event preparation", """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM scheduled_event WHERE prepared_at IS NOT NULL AND prepared_revision < revision)
                        THEN timestamptz 'epoch'
                        ELSE (SELECT min(prepare_at) FROM scheduled_event WHERE cancelled_at IS NULL AND prepared_at IS NULL) END
            """)
        return try decode("read the next event preparation") { try rows.first?.decode(PostgresInstant?.self)?.date }
    }

    /// Journals the event's alert and marks it prepared at its revision, if it is unchanged and still due: one
    /// transaction, so a replica that dies in between leaves neither, and two replicas cannot both prepare it.
    public func prepareEvent(_ event: ScheduledEvent, alert: NormalizedAlert?, at now: Date) async throws(JournalError) -> Bool {
        guard let seq = ScheduledEvent.sequence(of: event.id) else { return false }
        let logger = self.logger
        let delivery = alert.map {
            Delivery(kind: .scheduledEvent, idempotencyKey: $0.idempotencyKey, receivedAt: now,
                     details: ["event": event.id, "revision": "\(event.revision)"], body: "")
        }
        let details = try eventJSON(delivery?.details ?? [:])
        return try await transaction("prepare event \(event.id)") { connection in
            let marked = try await connection.query("""
                UPDATE scheduled_event SET prepared_at = coalesce(prepared_at, \(PostgresInstant(now))), prepared_revision = revision
                WHERE seq = \(seq) AND revision = \(event.revision)
                  AND ((cancelled_at IS NULL AND prepared_at IS NULL) OR (prepared_at IS NOT NULL AND prepared_revision < revision))
                RETURNING seq
                """, logger: logger).collect()
            guard !marked.isEmpty else { return false }
            if let delivery, let alert {
                _ = try await Self.insert(delivery, details: details, alerts: [alert], plans: [:], on: connection, logger: logger)
            }
            return true
        }
    }

    /// Moves event `id` after `check` accepted the new window, under the events lock.
    public func moveEvent(id: String, start: Date, end: Date, timeZone: String?, at now: Date,
                          check: @escaping @Sendable (ScheduledEvent, [ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem>? {
        guard let seq = ScheduledEvent.sequence(of: id) else { return nil }
        let logger = self.logger
        return try await transaction("move event \(id)") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.eventsLock))", logger: logger)
            guard let event = try await Self.events(on: connection, logger: logger, "WHERE seq = \(seq) FOR UPDATE").first else {
                return nil
            }
            let others = try await Self.events(on: connection, logger: logger, """
                WHERE cancelled_at IS NULL AND end_at > \(PostgresInstant(now)) AND seq <> \(seq)
                """)
            let moved = event.moved(start: start, end: end, timeZone: timeZone, others: others, check: check)
            if case .success(let event) = moved {
                try await connection.query("""
                    UPDATE scheduled_event SET start_at = \(PostgresInstant(start)), end_at = \(PostgresInstant(end)),
                        time_zone = \(event.timeZone), prepare_at = \(PostgresInstant(event.prepareAt)), revision = \(event.revision)
                    WHERE seq = \(seq)
                    """, logger: logger)
            }
            return moved
        }
    }

    /// Cancels event `id` (once); one whose run started gets a new revision, so the run is told.
    public func cancelEvent(id: String, by actor: String, mode: ScheduledEvent.CancelMode, at now: Date)
        async throws(JournalError) -> ScheduledEvent? {
        guard let seq = ScheduledEvent.sequence(of: id) else { return nil }
        let logger = self.logger
        return try await transaction("cancel event \(id)") { connection in
            try await connection.query("""
                UPDATE scheduled_event SET cancelled_at = \(PostgresInstant(now)), cancelled_by = \(actor),
                    cancel_mode = \(mode.rawValue),
                    revision = revision + (CASE WHEN prepared_at IS NULL THEN 0 ELSE 1 END)
                WHERE seq = \(seq) AND cancelled_at IS NULL
                """, logger: logger)
            return try await Self.events(on: connection, logger: logger, "WHERE seq = \(seq)").first
        }
    }

    /// Columns of `scheduled_event` in the order ``event(_:)`` reads them.
    static let eventColumns = """
        seq, playbook, name, start_at, end_at, time_zone, prepare_at, labels, annotations, scheduled_by, created_at, revision,
        prepared_at, cancelled_at, cancelled_by, cancel_mode, prepared_revision, occurrence
        """


    private static func events(on connection: PostgresConnection, logger: Logger,
                               _ clause: PostgresQuery) async throws -> [ScheduledEvent] {
        var query = PostgresQuery(unsafeSQL: "SELECT \(eventColumns) FROM scheduled_event ")
        query.sql += clause.sql
        query.binds = clause.binds
        return try await connection.query(query, logger: logger).collect().compactMap(event)
    }

    /// A `scheduled_event` row (``eventColumns``) as an event.
    static func event(_ row: PostgresRow) throws -> ScheduledEvent? {
        let (seq, playbook, name, start, end, zone, prepareAt, labels, annotations, scheduledBy, created, revision,
             prepared, cancelled, cancelledBy, cancelMode, preparedRevision, occurrence) = try row.decode(
            (Int64, String, String, PostgresInstant, PostgresInstant, String?, PostgresInstant, String, String, String,
             PostgresInstant, Int, PostgresInstant?, PostgresInstant?, String?, String?, Int?, String?).self
        )
        return ScheduledEvent(
            id: "evt-\(seq)", playbook: playbook, name: name, start: start.date, end: end.date, timeZone: zone,
            prepareAt: prepareAt.date, labels: (try? JournalRows.decodeMap(labels)) ?? [:],
            annotations: (try? JournalRows.decodeMap(annotations)) ?? [:], scheduledBy: scheduledBy, createdAt: created.date,
            revision: revision, preparedAt: prepared?.date, cancelledAt: cancelled?.date, cancelledBy: cancelledBy,
            cancelMode: cancelMode.flatMap(ScheduledEvent.CancelMode.init), preparedRevision: preparedRevision,
            occurrence: occurrence
        )
    }

    private func eventJSON(_ map: [String: String]) throws(JournalError) -> String {
        do { return try JournalRows.encode(map) } catch { throw .unavailable("could not encode event fields: \(error)") }
    }
}
