import Foundation

/// Where a run has taken each of its targets and where it will take them, as positions in a unit square that
/// ``TimelineSVG`` draws: per target a step line of replicas over time (done steps solid, planned steps dashed, steps
/// waiting for the resolve in a zone after the dated part), and the run's events as markers.
///
/// x runs from 0 (the run's start) to 1; y from 0 (the lane's lowest count) to 1 (its highest). Every number read from
/// a stored run is range-checked: counts are mapped through `Double` (any `Int`, `Int.max` and negatives included, with
/// no overflow), dates far apart are clamped to ``maxSpan``, and positions always lie in 0...1.
public struct RunTimeline: Sendable, Equatable {
    /// One target's replicas over time.
    public struct Lane: Sendable, Equatable {
        /// The target.
        public var target: String
        /// The count after the last step done, else the count planned before the first step; nil when unknown.
        public var current: Int?
        /// The lowest count the lane shows (0, or a lower stored count).
        public var low: Int
        /// The highest count the lane shows.
        public var high: Int
        /// The step line, in drawing order.
        public var segments: [Segment]
        /// The scale steps of the target, in step order.
        public var points: [StepPoint]
    }

    /// A piece of a step line.
    public struct Segment: Sendable, Equatable {
        /// Start.
        public var x1: Double, y1: Double
        /// End.
        public var x2: Double, y2: Double
        /// Planned (dashed) rather than done (solid).
        public var planned: Bool
    }

    /// A scale step on its lane.
    public struct StepPoint: Sendable, Equatable {
        /// The step's index in the run.
        public var index: Int
        /// Position.
        public var x: Double, y: Double
        /// The count it sets.
        public var replicas: Int
        /// Done, planned, or waiting for its anchor.
        public var state: State
        /// When it is due (planned) or when it finished (done); nil while it waits for its anchor.
        public var at: Date?
        /// `after the resolve`, for a step waiting for its anchor; `+30m` for its offset.
        public var anchorText: String?

        /// Where a step stands.
        public enum State: String, Sendable, Equatable {
            /// Done: the count is set.
            case done
            /// Due at a known time (or overdue, waiting now).
            case planned
            /// Waiting for its anchor (the resolve, an event's end): shown after `now`.
            case afterAnchor = "after-anchor"
        }
    }

    /// The `now` line: its time and position.
    public struct NowLine: Sendable, Equatable {
        /// The time drawn as now.
        public var at: Date
        /// Its position.
        public var x: Double
    }

    /// The zone of steps waiting for their anchor (a resolve, an event's end): where it begins, and its label.
    public struct Zone: Sendable, Equatable {
        /// Where it begins.
        public var x: Double
        /// `after the resolve`, ...
        public var label: String
    }

    /// Something that happened to the run.
    public struct Marker: Sendable, Equatable {
        /// What.
        public var kind: Kind
        /// Position.
        public var x: Double
        /// When.
        public var at: Date
        /// For people (from the run's history: untrusted, escaped where it is written).
        public var label: String

        /// Kinds of markers, with the one-letter symbol drawn on the chart.
        public enum Kind: String, Sendable, Equatable, CaseIterable {
            /// The alert fired (the run started) or fired again.
            case firing
            /// The alert resolved.
            case resolve
            /// Someone acknowledged the run.
            case ack
            /// The run was held.
            case hold
            /// The run was resumed.
            case resume
            /// A pause held a step back.
            case pause
            /// A blast-radius limit held a step back.
            case limit
            /// A step waited for its load check.
            case gate
            /// The run ended.
            case end

            /// The symbol drawn on the chart (the legend explains them).
            public var symbol: String {
                switch self {
                case .firing: return "F"
                case .resolve: return "R"
                case .ack: return "A"
                case .hold: return "H"
                case .resume: return "▶"
                case .pause: return "P"
                case .limit: return "L"
                case .gate: return "G"
                case .end: return "E"
                }
            }
        }
    }

    /// Longest span drawn (dates further out are clamped to the edge).
    public static let maxSpan: TimeInterval = 90 * 86_400
    /// Shortest span drawn, so a run a second old is not a vertical line.
    public static let minSpan: TimeInterval = 300
    /// Where the zone of steps waiting for their anchor begins (the dated part ends there).
    public static let anchorZone = 0.8
    /// Most markers kept (the latest ones; the firing is always kept).
    public static let maxMarkers = 60
    /// Longest marker label.
    public static let maxLabel = 160

    /// The run.
    public var runID: String
    /// The x = 0 time.
    public var start: Date
    /// The time at the end of the dated part.
    public var end: Date
    /// The time drawn as `now`, with its position; nil for an ended run.
    public var now: NowLine?
    /// Where the zone of steps waiting for their anchor begins, with its label, when there are such steps.
    public var anchorZone: Zone?
    /// One lane per target.
    public var lanes: [Lane]
    /// Markers, oldest first.
    public var markers: [Marker]

    /// The timeline of `run` as seen at `now`.
    public init(run: Run, now at: Date) {
        runID = run.id
        let open = run.isOpen
        let waiting = open ? run.steps.filter { !$0.status.isFinished && $0.due == nil && $0.to != nil && $0.phase != .undo } : []
        var times = [run.startedAt, open ? at : (run.endedAt ?? at)]
        times += run.steps.compactMap { $0.status.isFinished ? $0.finishedAt : $0.due }
        times += [run.resolvedAt].compactMap { $0 }
        let history = Self.markers(of: run)
        times += history.map(\.at)
        let first = times.filter(Self.usable).min() ?? at
        var last = times.filter(Self.usable).max() ?? at
        last = min(max(last, first.addingTimeInterval(Self.minSpan)), first.addingTimeInterval(Self.maxSpan))
        start = first
        end = last
        let dated = waiting.isEmpty ? 1.0 : Self.anchorZone - 0.04
        let span = last.timeIntervalSince(first)
        func x(_ date: Date) -> Double {
            Self.unit(date.timeIntervalSince(first) / span) * dated
        }
        self.now = open ? NowLine(at: at, x: x(at)) : nil
        anchorZone = waiting.isEmpty ? nil : Zone(x: Self.anchorZone, label: "after the " + Self.anchorName(waiting[0].anchor))
        markers = history.map { Marker(kind: $0.kind, x: x($0.at), at: $0.at, label: $0.label) }
        let maxOffset = waiting.map { max(0, $0.offsetSeconds) }.max() ?? 0
        func zoneX(_ step: RunStep, _ order: Int) -> Double {
            let room = 1.0 - Self.anchorZone - 0.06
            if maxOffset > 0 { return Self.anchorZone + 0.03 + room * Double(max(0, step.offsetSeconds)) / Double(maxOffset) }
            return Self.anchorZone + 0.03 + room * Double(order + 1) / Double(waiting.count + 1)
        }
        var targets = run.targets
        for target in run.steps.compactMap({ $0.to == nil ? nil : $0.target }) where !targets.contains(target) { targets.append(target) }
        lanes = targets.prefix(20).map { target in
            Self.lane(target, run: run, now: at, x: x, zoneX: zoneX, waiting: waiting)
        }
    }

    /// One target's lane.
    private static func lane(_ target: String, run: Run, now: Date, x: (Date) -> Double, zoneX: (RunStep, Int) -> Double,
                             waiting: [RunStep]) -> Lane {
        let steps = run.steps.filter { $0.target == target && $0.to != nil && $0.phase != .undo }
        let counts = steps.flatMap { [$0.from, $0.to].compactMap { $0 } }
        let low = min(0, counts.min() ?? 0)
        let high = max(1, counts.max() ?? 1)
        func y(_ value: Int) -> Double {
            let range = Double(high) - Double(low)
            return range > 0 ? unit((Double(value) - Double(low)) / range) : 0.5
        }
        let done = steps.filter { $0.status == .done }
        let current = done.last?.to ?? steps.first?.from
        var segments: [Segment] = []
        var points: [StepPoint] = []
        var pen: (x: Double, y: Double)? = steps.first?.from.map { (x(run.startedAt), y($0)) }
        func move(to px: Double, _ value: Int, planned: Bool) {
            let py = y(value)
            if let from = pen {
                let bx = max(from.x, px)
                segments.append(Segment(x1: from.x, y1: from.y, x2: bx, y2: from.y, planned: planned))
                if from.y != py { segments.append(Segment(x1: bx, y1: from.y, x2: bx, y2: py, planned: planned)) }
                pen = (bx, py)
            } else {
                pen = (px, py)
            }
        }
        for step in done {
            guard let to = step.to else { continue }
            let at = step.finishedAt ?? step.startedAt ?? step.due ?? run.startedAt
            move(to: x(at), to, planned: false)
            points.append(StepPoint(index: step.index, x: pen?.x ?? x(at), y: y(to), replicas: to, state: .done, at: at))
        }
        // The count holds until now (open run) or the end (ended run).
        let hold = run.isOpen ? x(now) : x(run.endedAt ?? now)
        if let from = pen, hold > from.x {
            segments.append(Segment(x1: from.x, y1: from.y, x2: hold, y2: from.y, planned: false))
            pen = (hold, from.y)
        }
        guard run.isOpen else { return Lane(target: target, current: current, low: low, high: high, segments: segments, points: points) }
        let dated = steps.filter { !$0.status.isFinished && $0.due != nil }.sorted { ($0.due ?? now) < ($1.due ?? now) }
        for step in dated {
            guard let to = step.to, let due = step.due else { continue }
            move(to: max(x(due), x(now)), to, planned: true)
            points.append(StepPoint(index: step.index, x: pen?.x ?? x(due), y: y(to), replicas: to, state: .planned, at: due))
        }
        for (order, step) in waiting.enumerated() where step.target == target {
            guard let to = step.to else { continue }
            move(to: zoneX(step, order), to, planned: true)
            points.append(StepPoint(index: step.index, x: pen?.x ?? zoneX(step, order), y: y(to), replicas: to, state: .afterAnchor,
                                    at: nil, anchorText: "+" + Duration.seconds(max(0, step.offsetSeconds)).playbookText
                                        + " after the " + anchorName(step.anchor)))
        }
        return Lane(target: target, current: current, low: low, high: high, segments: segments, points: points)
    }

    /// `resolve`, `event end`, ... for people.
    public static func anchorName(_ anchor: Plan.Anchor) -> String {
        anchor.rawValue.replacingOccurrences(of: "_", with: " ")
    }

    /// Whether a stored date can be placed (not NaN-like, within the years RFC 3339 writes).
    public static func usable(_ date: Date) -> Bool { RFC3339.acceptedRange.contains(date) }

    /// `value` within 0...1 (NaN is 0).
    public static func unit(_ value: Double) -> Double {
        guard value.isFinite else { return value == .infinity ? 1 : 0 }
        return min(1, max(0, value))
    }
}
