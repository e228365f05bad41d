import Foundation

/// A scenario's `metrics:` item: the values one load check's metric takes over virtual time, as a step function
/// (each value holds from its `at` until the next point). `simulate` reads load checks from these, through the same
/// ``GateDecision`` as the server.
public struct MetricSeries: Sendable, Equatable {
    /// The check's name (``LoadCheck/name``: its `name:`, else its query or metric).
    public var check: String
    /// Points in time order; a nil value means the metric source is down from then on.
    public var points: [(at: Duration, value: Double?)]
    /// Line in the scenario file.
    public var line: Int

    /// Creates a series.
    public init(check: String, points: [(at: Duration, value: Double?)], line: Int) {
        self.check = check
        self.points = points
        self.line = line
    }

    /// Series compare by content.
    public static func == (lhs: MetricSeries, rhs: MetricSeries) -> Bool {
        lhs.check == rhs.check && lhs.line == rhs.line && lhs.points.count == rhs.points.count
            && zip(lhs.points, rhs.points).allSatisfy { $0.at == $1.at && $0.value == $1.value }
    }

    /// What a metric source would answer for `check` over `[start, end]` on a scenario that began at `origin`: a
    /// sample every ``LoadCheck/resolution`` (as a range query returns), none before the first point, and
    /// ``MetricReading/unavailable(_:)`` when the source is down at `end`.
    public func reading(for check: LoadCheck, from start: Date, to end: Date, origin: Date) -> MetricReading {
        func value(at time: Date) -> Double?? {
            let offset = time.timeIntervalSince(origin)
            guard let point = points.last(where: { $0.at.timeInterval <= offset }) else { return .none }
            return .some(point.value)
        }
        if case .some(.none) = value(at: end) {
            return .unavailable("the scenario's metrics say the source of \"\(self.check)\" is down")
        }
        var samples: [MetricSample] = []
        let stepSeconds = max(1, check.resolution.timeInterval)
        var time = end
        // From the end backwards, so the latest sample is at `end` exactly; at most a few hundred samples.
        while time >= start, samples.count < 1_000 {
            if case .some(.some(let number)) = value(at: time) { samples.append(MetricSample(at: time, value: number)) }
            time = time.addingTimeInterval(-stepSeconds)
        }
        return .samples(samples.reversed())
    }
}
