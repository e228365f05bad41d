import Foundation

extension RunTimeline {
    /// A marker before it is placed.
    public struct Event: Sendable, Equatable {
        /// What.
        public var kind: Marker.Kind
        /// When.
        public var at: Date
        /// For people.
        public var label: String
    }

    /// The run's markers, oldest first: its start (the alert firing), the resolve, its end, and from its history the
    /// re-firings, acknowledgements, holds, resumes, pauses, limit holds and load-check waits; at most ``maxMarkers``
    /// (the start and the latest others), only at dates that can be placed.
    public static func markers(of run: Run) -> [Event] {
        var found: [Event] = []
        for line in run.history {
            guard usable(line.at), let kind = line.kind.map(marker(for:)) ?? kind(of: line.message) else { continue }
            found.append(Event(kind: kind, at: line.at, label: String(line.message.prefix(maxLabel))))
        }
        var events = [Event(kind: .firing, at: run.startedAt, label: "alert \(run.alertName ?? run.alertFingerprint) fired: run started")]
        if let resolved = run.resolvedAt {
            events.append(Event(kind: .resolve, at: resolved, label: "alert \(run.alertName ?? run.alertFingerprint) resolved"))
        }
        if let ended = run.endedAt { events.append(Event(kind: .end, at: ended, label: "run ended: \(run.status.rawValue)")) }
        events = events.filter { usable($0.at) }
        events += found.suffix(maxMarkers - events.count)
        events = events.map { event in
            var event = event
            event.label = String(event.label.prefix(maxLabel))
            return event
        }
        return events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }

    /// The marker of a history line's recorded kind.
    public static func marker(for kind: RunEvent.Kind) -> Marker.Kind {
        switch kind {
        case .acknowledged: return .ack
        case .held: return .hold
        case .resumed: return .resume
        case .refired: return .firing
        case .paused: return .pause
        case .overLimit: return .limit
        case .gateWait: return .gate
        }
    }

    /// The marker a history line stored without a kind is, if any, read from the wording ``RunEngine`` used (runs
    /// recorded before lines carried their kind).
    public static func kind(of message: String) -> Marker.Kind? {
        if message.hasPrefix("acknowledged by ") { return .ack }
        if message.hasPrefix("held by ") || message.hasPrefix("held: step ") { return .hold }
        if message.hasPrefix("resumed by ") { return .resume }
        if message.hasPrefix("alert "), message.contains(" fired again") || message.contains(" re-fired") { return .firing }
        if message.hasPrefix("paused by ") || message.contains(": paused by ") { return .pause }
        if message.hasPrefix("step "), message.contains(" held: over ") || message.contains(" waits: over ") { return .limit }
        if message.hasPrefix("step "), message.contains(" waits for its load check") || message.contains(" still waits: ") {
            return .gate
        }
        return nil
    }
}
