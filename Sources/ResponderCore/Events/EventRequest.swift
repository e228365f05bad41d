import Foundation

/// The body of `POST /api/events` and `PATCH /api/events/{id}` as sent (every field optional: which are required
/// depends on the call), and how a new event is read from it.
public struct EventRequest: Decodable, Sendable, Equatable {
    /// The pre-event playbook.
    public var playbook: String?
    /// What people call it.
    public var name: String?
    /// Start, as written.
    public var start: String?
    /// End, as written.
    public var end: String?
    /// The IANA zone of local times.
    public var timeZone: String?
    /// Labels for templates.
    public var labels: [String: String]?
    /// Annotations for templates.
    public var annotations: [String: String]?
    /// Who asks.
    public var actor: String?

    /// A request from its fields, as `responder plan --event` reads them from the command line.
    public init(playbook: String? = nil, name: String? = nil, start: String? = nil, end: String? = nil, timeZone: String? = nil,
                labels: [String: String]? = nil, annotations: [String: String]? = nil, actor: String? = nil) {
        self.playbook = playbook
        self.name = name
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.labels = labels
        self.annotations = annotations
        self.actor = actor
    }

    enum CodingKeys: String, CodingKey {
        case playbook, name, start, end, labels, annotations, actor
        case timeZone = "time_zone"
    }

    /// Why a request cannot become a draft: what is missing or unreadable, for a 400.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Reads `bytes` as a request; the problem names what is wrong (not JSON, a field of the wrong type).
    public static func decode(_ bytes: [UInt8]) -> Result<EventRequest, Problem> {
        do {
            return .success(try JSONDecoder().decode(EventRequest.self, from: Data(bytes)))
        } catch let error as DecodingError {
            return .failure(Problem(description: "the body is not an event: \(error.readableDescription)"))
        } catch {
            return .failure(Problem(description: "the body is not JSON"))
        }
    }

    /// A time as written, for `field`: RFC 3339 with an offset, or a local time with `zone` (``EventTime``).
    public static func time(_ text: String, zone: String?, field: String) -> Result<Date, Problem> {
        do {
            return .success(try EventTime.parse(text, timeZone: zone).instant)
        } catch {
            return .failure(Problem(description: "\(field): \(error.description)"))
        }
    }

    /// The draft of a new event, when playbook, name, start and end are there and readable.
    public func draft() -> Result<EventDraft, Problem> {
        guard let playbook, let name, let start, let end else {
            return .failure(Problem(description: "playbook, name, start and end are required"))
        }
        let startAt: Date
        let endAt: Date
        switch (Self.time(start, zone: timeZone, field: "start"), Self.time(end, zone: timeZone, field: "end")) {
        case (.success(let first), .success(let second)): (startAt, endAt) = (first, second)
        case (.failure(let problem), _), (_, .failure(let problem)): return .failure(problem)
        }
        return .success(EventDraft(playbook: playbook, name: name, start: startAt, end: endAt, timeZone: timeZone,
                                   labels: labels ?? [:], annotations: annotations ?? [:],
                                   scheduledBy: String((actor ?? "api").prefix(100))))
    }
}
