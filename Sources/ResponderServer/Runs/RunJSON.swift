import Foundation
import Hummingbird
import ResponderCore

/// JSON shapes of the runs API: dates as RFC 3339 UTC with milliseconds, keys sorted.
enum RunJSON {
    static func response<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) -> Response {
        let data = (try? RFC3339JSON.encoder([.sortedKeys, .withoutEscapingSlashes]).encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// One line of `GET /api/runs`.
struct RunSummary: Encodable {
    var id: String
    var playbook: String
    var kind: String
    var status: String
    /// While undo steps run: how the run ended (it takes this status when they finish).
    var closing: String?
    var targets: [String]
    var alert: String?
    var startedAt: Date
    var endedAt: Date?
    var acknowledgedBy: String?
    var nextStep: String?
    var nextDue: Date?

    init(_ run: Run) {
        id = run.id
        playbook = run.playbook
        kind = run.kind.rawValue
        status = run.status.rawValue
        closing = run.isOpen ? run.closing?.rawValue : nil
        targets = run.targets
        alert = run.alertName
        startedAt = run.startedAt
        endedAt = run.endedAt
        acknowledgedBy = run.acknowledgedBy
        let next = run.nextStepIndex.map { run.steps[$0] }
        nextStep = next.map { step in
            "\(step.index): \(step.detail) (\(step.status.rawValue)\(step.blocked.map { ", waiting: \($0.reason)" } ?? ""))"
        }
        nextDue = run.isOpen ? next?.due : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, playbook, kind, status, closing, targets, alert
        case startedAt = "started_at", endedAt = "ended_at", acknowledgedBy = "acknowledged_by"
        case nextStep = "next_step", nextDue = "next_due"
    }
}

/// `GET /api/runs/{id}`: the summary plus every step and the history.
struct RunDetail: Encodable {
    var summary: RunSummary
    var run: Run
    var notifications: [NotificationState]

    init(_ run: Run, notifications: [OutboxItem] = []) {
        summary = RunSummary(run)
        self.run = run
        self.notifications = notifications.map(NotificationState.init)
    }

    enum CodingKeys: String, CodingKey {
        case summary, run, notifications
    }
}

/// Delivery state of one queued notification, as `GET /api/runs/{id}` shows it.
struct NotificationState: Encodable {
    var id: Int64
    var channel: String
    var kind: String
    var text: String
    var status: String
    var attempts: Int
    var queuedAt: Date
    var nextAttemptAt: Date?
    var lastError: String?
    var finishedAt: Date?

    init(_ item: OutboxItem) {
        id = item.id
        channel = item.notification.channel.rawValue
        kind = item.notification.kind.rawValue
        text = item.notification.text
        status = item.status.rawValue
        attempts = item.attempts
        queuedAt = item.notification.createdAt
        nextAttemptAt = item.status == .pending ? item.nextAttemptAt : nil
        lastError = item.lastError
        finishedAt = item.finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, channel, kind, text, status, attempts
        case queuedAt = "queued_at", nextAttemptAt = "next_attempt_at", lastError = "last_error", finishedAt = "finished_at"
    }
}
