import Foundation
import ResponderCore

/// `timeline`: a stored run's JSON (a row another version or a damaged store may have written), read and validated as
/// the stores do, then laid out as the status page's timeline at a fuzzed "now".
///
/// Input: the run's JSON, a NUL, then seconds from the run's start to "now" (default 600).
///
/// Invariants: every coordinate of the layout is finite and inside the unit square, at most
/// ``RunTimeline/maxMarkers`` markers, each label at most ``RunTimeline/maxLabel`` characters.
public enum TimelineTarget {
    /// Decodes and lays out the run in `bytes`.
    public static func run(_ bytes: [UInt8]) throws {
        let input = FuzzInput(bytes, limit: 2)
        let decoder = RFC3339JSON.decoder()
        guard case .success(let run) = UnreadableRuns.check(id: "run-fuzz", { try decoder.decode(Run.self, from: Data(input.bytes(0))) })
        else { return }
        let offset = Double(input.optionalText(1) ?? "600").flatMap { $0.isFinite ? $0 : nil } ?? 600
        let now = run.startedAt.addingTimeInterval(min(max(offset, -1e10), 1e10))
        let timeline = RunTimeline(run: run, now: now)
        var coordinates: [Double] = timeline.markers.map(\.x)
        for lane in timeline.lanes {
            coordinates += lane.segments.flatMap { [$0.x1, $0.y1, $0.x2, $0.y2] }
            coordinates += lane.points.flatMap { [$0.x, $0.y] }
        }
        if let line = timeline.now { coordinates.append(line.x) }
        if let zone = timeline.anchorZone { coordinates.append(zone.x) }
        if let bad = coordinates.first(where: { !$0.isFinite || $0 < 0 || $0 > 1 }) {
            throw FuzzInvariantViolation(target: "timeline", "coordinate \(bad) outside the unit square for run \(run.id)")
        }
        guard timeline.markers.count <= RunTimeline.maxMarkers,
              timeline.markers.allSatisfy({ $0.label.count <= RunTimeline.maxLabel }) else {
            throw FuzzInvariantViolation(target: "timeline", "\(timeline.markers.count) markers or a label too long")
        }
    }
}
