import Foundation

/// The body of `POST /api/pause` as sent (outside input): every field optional and a string, checked by
/// ``request(now:targets:)`` into a ``PauseRequest`` or a problem that says what to fix.
public struct PauseOrderRequest: Decodable, Sendable, Equatable {
    /// A target name; absent for every target.
    public var target: String?
    /// `up`, `down` or `both` (the default).
    public var direction: String?
    /// `wait` (the default) or `skip`.
    public var mode: String?
    /// Why (required).
    public var reason: String?
    /// Who (default `api`).
    public var by: String?
    /// When it lifts itself: RFC 3339 with an offset.
    public var until: String?
    /// How long it lasts (`2h`, `3d`), instead of `until`.
    public var lasts: String?

    /// Creates a request from its fields, as the CLI reads them.
    public init(target: String? = nil, direction: String? = nil, mode: String? = nil, reason: String? = nil, by: String? = nil,
                until: String? = nil, lasts: String? = nil) {
        self.target = target
        self.direction = direction
        self.mode = mode
        self.reason = reason
        self.by = by
        self.until = until
        self.lasts = lasts
    }

    enum CodingKeys: String, CodingKey {
        case target, direction, mode, reason, by, until
        case lasts = "for"
    }

    /// Why a request cannot be a pause, for a 400 (or 422 for an unknown target).
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// What is wrong.
        public let description: String
        /// Whether the body was well formed but names something that does not exist.
        public let unknownTarget: Bool

        init(_ description: String, unknownTarget: Bool = false) {
            self.description = description
            self.unknownTarget = unknownTarget
        }
    }

    /// Longest reason.
    public static let maxReason = 500
    /// Longest actor name.
    public static let maxActor = 100

    /// Reads `bytes` as a request.
    public static func decode(_ bytes: [UInt8]) -> Result<PauseOrderRequest, Problem> {
        do {
            return .success(try JSONDecoder().decode(PauseOrderRequest.self, from: Data(bytes)))
        } catch let error as DecodingError {
            return .failure(Problem("the body is not a pause: \(error.readableDescription)"))
        } catch {
            return .failure(Problem("the body is not JSON"))
        }
    }

    /// The pause to set at `now`, when every field is readable and the target is one of `targets`.
    public func request(now: Date, targets: Set<String>) -> Result<PauseRequest, Problem> {
        guard let reason = reason?.trimmingCharacters(in: .whitespaces), !reason.isEmpty else {
            return .failure(Problem("reason is required: say why automation stops (people read it in chat and on the status page)"))
        }
        guard reason.count <= Self.maxReason, Self.printable(reason) else {
            return .failure(Problem("reason must be at most \(Self.maxReason) characters on one line, without control characters"))
        }
        let actor = by ?? "api"
        guard !actor.isEmpty, actor.count <= Self.maxActor, Self.printable(actor) else {
            return .failure(Problem("by must be 1 to \(Self.maxActor) characters without control characters"))
        }
        if let target, !targets.contains(target) {
            return .failure(Problem("no target named \(target.prefix(100)) in the playbooks; a pause on it would stop nothing",
                                    unknownTarget: true))
        }
        guard let direction = PauseDirection(rawValue: direction ?? "both") else {
            return .failure(Problem("direction must be up, down or both"))
        }
        guard let mode = PauseMode(rawValue: mode ?? "wait") else {
            return .failure(Problem("mode must be wait or skip"))
        }
        let expiry: Date?
        switch (until, lasts) {
        case (.some, .some):
            return .failure(Problem("give until or for, not both"))
        case (.some(let text), nil):
            guard let date = RFC3339.parseAccepted(text) else {
                return .failure(Problem("until must be an RFC 3339 time with an offset, such as 2026-12-07T09:00:00Z"))
            }
            expiry = date
        case (nil, .some(let text)):
            guard let duration = try? Duration.parsePlaybook(text), duration > .zero else {
                return .failure(Problem("for must be a duration such as 30m, 2h or 3d"))
            }
            guard duration <= Limits.duration.upperBound else {
                return .failure(Problem("for must be at most \(Limits.duration.upperBound.playbookText)"))
            }
            expiry = now.addingTimeInterval(duration.timeInterval)
        case (nil, nil):
            expiry = nil
        }
        if let expiry {
            guard expiry > now else { return .failure(Problem("until must be in the future")) }
            guard expiry.timeIntervalSince(now) <= Limits.duration.upperBound.timeInterval else {
                return .failure(Problem("until must be at most \(Limits.duration.upperBound.playbookText) ahead"))
            }
        }
        return .success(PauseRequest(target: target, direction: direction, mode: mode, reason: reason, by: actor, since: now, until: expiry))
    }

    /// No control characters (a reason goes into chat messages, logs and HTML).
    public static func printable(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
    }
}
