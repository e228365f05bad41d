import Foundation
import Hummingbird
import ResponderCore

/// Reading the body of `POST /api/events` and `PATCH /api/events/{id}` (``EventRequest``) from a request.
enum EventRequestBody {
    /// Why a body was refused, as the response to send.
    struct Refusal: Error {
        let response: Response
    }

    /// Reads at most `limit` bytes of JSON; a bigger, malformed or wrongly typed body is refused with what is wrong.
    static func read(_ request: Request, limit: Int) async -> Result<EventRequest, Refusal> {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch {
            return .failure(Refusal(response: JSONResponse.error(.contentTooLarge, "the body is larger than \(limit) bytes")))
        }
        return EventRequest.decode(Array(buffer: buffer)).mapError { Refusal(response: JSONResponse.error(.badRequest, $0.description)) }
    }
}

/// An event as the API shows it: its fields, its status now, and its run once started.
struct EventView: Encodable {
    var id: String
    var playbook: String
    var name: String
    var status: String
    var start: Date
    var end: Date
    var timeZone: String?
    var prepareAt: Date
    var labels: [String: String]
    var annotations: [String: String]
    var scheduledBy: String
    var createdAt: Date
    var revision: Int
    var preparedAt: Date?
    var cancelledAt: Date?
    var cancelledBy: String?
    var run: RunSummary?

    init(_ event: ScheduledEvent, run: Run?, now: Date) {
        id = event.id
        playbook = event.playbook
        name = event.name
        status = EventStatus.of(event, run: run, now: now).rawValue
        start = event.start
        end = event.end
        timeZone = event.timeZone
        prepareAt = event.prepareAt
        labels = event.labels
        annotations = event.annotations
        scheduledBy = event.scheduledBy
        createdAt = event.createdAt
        revision = event.revision
        preparedAt = event.preparedAt
        cancelledAt = event.cancelledAt
        cancelledBy = event.cancelledBy
        self.run = run.map(RunSummary.init)
    }

    enum CodingKeys: String, CodingKey {
        case id, playbook, name, status, start, end, labels, annotations, revision, run
        case timeZone = "time_zone", prepareAt = "prepare_at", scheduledBy = "scheduled_by", createdAt = "created_at"
        case preparedAt = "prepared_at", cancelledAt = "cancelled_at", cancelledBy = "cancelled_by"
    }
}
