import Foundation
import PostgresNIO
import ResponderCore
import ResponderStore

/// An instant as a `timestamptz`, at the journal's millisecond precision (truncated like ``RFC3339/format(_:)``), in
/// integer arithmetic so what is written reads back as the same instant and compares exactly.
struct PostgresInstant: PostgresNonThrowingEncodable, PostgresDecodable, Sendable, Equatable {
    /// Milliseconds since 1970.
    var milliseconds: Int64

    private static let epoch2000: Int64 = 946_684_800_000

    /// Earliest and latest instants written, in milliseconds (years 0001 and 9999, as ``RFC3339/format(_:)``):
    /// within PostgreSQL's `timestamptz` range, and far from overflowing the microsecond encoding.
    private static let writable: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// The instant of `date`, truncated to the millisecond and clamped to years 0001–9999 (never trapping).
    init(_ date: Date) {
        let millis = Int64(Int(saturating: (date.timeIntervalSince1970 * 1000).rounded(.down)))
        milliseconds = min(max(millis, Self.writable.lowerBound), Self.writable.upperBound)
    }

    /// The instant as a date.
    var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// Binary `timestamptz`.
    static var psqlType: PostgresDataType { .timestamptz }
    /// Binary `timestamptz`.
    static var psqlFormat: PostgresFormat { .binary }

    /// Microseconds since 2000-01-01, PostgreSQL's binary form.
    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        // Clamped again: a value read back (up to `infinity`) may lie outside what `init(_:)` produces.
        let clamped = min(max(milliseconds, Self.writable.lowerBound), Self.writable.upperBound)
        buffer.writeInteger((clamped - Self.epoch2000) * 1000)
    }

    /// Reads a binary `timestamptz` (or `timestamp`), dropping sub-millisecond digits.
    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary, buffer.readableBytes == 8,
              let micros = buffer.readInteger(as: Int64.self) else {
            throw PostgresDecodingError.Code.typeMismatch
        }
        // Floor division that cannot overflow, even for `-infinity` (Int64.min) or `infinity` (Int64.max).
        let quotient = micros / 1000
        let millis = micros % 1000 < 0 ? quotient - 1 : quotient
        milliseconds = millis.addingReportingOverflow(Self.epoch2000).overflow ? .max : millis + Self.epoch2000
    }
}

extension Optional where Wrapped == Date {
    /// The instant to bind, NULL for nil.
    var instant: PostgresInstant? { map(PostgresInstant.init) }
}

/// Conversions between store rows and domain values.
enum PostgresRows {
    /// Columns of `alert` in the order ``alert(_:)`` reads them.
    static let alertColumns = """
        id, delivery_id, idempotency_key, source, fingerprint, status, labels, annotations, starts_at, ends_at,
        generator_url, group_key, receiver, received_at, plan
        """

    /// An `alert` row (``alertColumns``) as a journaled alert.
    static func alert(_ row: PostgresRow) throws -> JournaledAlert {
        let (id, deliveryID, key, sourceText, fingerprint, statusText, labels, annotations, startsAt, endsAt, generatorURL,
             groupKey, receiver, receivedAt, plan) = try row.decode(
            (Int64, Int64, String, String, String, String, String, String, PostgresInstant?, PostgresInstant?, String?, String?,
             String?, PostgresInstant, String?).self
        )
        guard let source = AlertSource(rawValue: sourceText), let status = AlertStatus(rawValue: statusText) else {
            throw JournalError.incompatible("alert row \(id) has unknown source or status")
        }
        let alert = NormalizedAlert(
            source: source, fingerprint: fingerprint, status: status,
            labels: try JournalRows.decodeMap(labels), annotations: try JournalRows.decodeMap(annotations),
            startsAt: startsAt?.date, endsAt: endsAt?.date, generatorURL: generatorURL, groupKey: groupKey, receiver: receiver,
            idempotencyKey: key
        )
        return JournaledAlert(id: id, deliveryID: deliveryID, receivedAt: receivedAt.date, alert: alert, plan: plan)
    }

    /// Columns of `outbox` in the order ``outboxItem(_:)`` reads them.
    static let outboxColumns = "id, run_id, channel, kind, text, status, attempts, next_attempt_at, last_error, created_at, sent_at"

    /// An `outbox` row (``outboxColumns``) as an item; nil for a row this version cannot read (like the SQLite store).
    static func outboxItem(_ row: PostgresRow) throws -> OutboxItem? {
        let (id, runID, channelText, kindText, text, statusText, attempts, next, lastError, created, sent) = try row.decode(
            (Int64, String, String, String, String, String, Int, PostgresInstant, String?, PostgresInstant, PostgresInstant?).self
        )
        guard let channel = OutboundNotification.Channel(rawValue: channelText),
              let kind = OutboundNotification.Kind(rawValue: kindText),
              let status = OutboxItem.Status(rawValue: statusText) else { return nil }
        let notification = OutboundNotification(runID: runID, channel: channel, kind: kind, text: text, createdAt: created.date)
        return OutboxItem(id: id, notification: notification, status: status, attempts: attempts, nextAttemptAt: next.date,
                          lastError: lastError, finishedAt: sent?.date)
    }

    /// Columns of `executor_call` in the order ``recordedCall(_:)`` reads them.
    static let callColumns = "id, run_id, step, attempt, idempotency_key, target, action, value, request, recorded_at"

    /// An `executor_call` row (``callColumns``) as a recorded call.
    static func recordedCall(_ row: PostgresRow) throws -> RecordedCall {
        let (id, runID, step, attempt, key, target, action, value, request, recordedAt) = try row.decode(
            (Int64, String, Int, Int, String, String?, String, Int?, String, PostgresInstant).self
        )
        return RecordedCall(id: id, runID: runID, step: step, attempt: attempt, idempotencyKey: key, target: target, action: action,
                            value: value, request: request, recordedAt: recordedAt.date)
    }

    /// Runs of rows selecting `id, body`. A body that cannot be decoded or fails ``Run/validate()`` is noted in
    /// `unreadable` and skipped (with `skipping` false, one run asked for by id, it is an error naming the run).
    static func runs(_ rows: [PostgresRow], unreadable: UnreadableRuns, skipping: Bool = true) throws -> [Run] {
        let decoder = RunRows.decoder()
        return try rows.compactMap { row in
            let (id, body) = try row.decode((String, String).self)
            switch UnreadableRuns.check(id: id, { try decoder.decode(Run.self, from: Data(body.utf8)) }) {
            case .success(let run):
                return run
            case .failure(let error):
                unreadable.record(id, error.message)
                // Not a transient failure: say which run and why.
                if !skipping { throw JournalError.incompatible(error.message) }
                return nil
            }
        }
    }
}
