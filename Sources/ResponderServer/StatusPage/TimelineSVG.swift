import Foundation
import ResponderCore

/// Draws a ``RunTimeline`` as an inline SVG (a `viewBox`, 100 % wide, so it scales from a phone to a desktop) followed
/// by the same facts as text: per target the current count and the next step with its due time, who acknowledged, and
/// every marker. Every text (target names, history lines) is escaped; ids are reduced to `[A-Za-z0-9-]`.
enum TimelineSVG {
    /// Width of the drawing, in user units.
    static let width = 960.0
    /// Left margin (count labels).
    static let left = 64.0
    /// Right margin.
    static let right = 32.0
    /// Height of the marker row above the lanes.
    static let top = 34.0
    /// Height of a lane's plot, and of its title row above it.
    static let laneHeight = 96.0, laneTitle = 22.0
    /// Height of the time axis below the lanes.
    static let axis = 38.0

    /// The figure: the SVG and its text equivalent, for `run` seen at `now`.
    static func figure(_ timeline: RunTimeline, run: Run, now: Date) -> String {
        let id = "tl-" + safeID(run.id)
        let summary = summaryText(timeline, run: run)
        return "<figure class=\"timeline\">" + svg(timeline, id: id, summary: summary) + legend
            + "<figcaption class=\"facts\">" + facts(timeline, run: run, now: now) + "</figcaption></figure>"
    }

    /// The chart's key, under it.
    static let legend = "<p class=\"legend\">solid: done · dashed: planned (due time below) · "
        + RunTimeline.Marker.Kind.allCases.map { "<span class=\"symbol \($0.rawValue)\">\($0.symbol)</span> \(legendText($0))" }
            .joined(separator: " · ") + "</p>"

    /// What a marker's symbol means, for the legend.
    static func legendText(_ kind: RunTimeline.Marker.Kind) -> String {
        switch kind {
        case .firing: return "fired"
        case .resolve: return "resolved"
        case .ack: return "acknowledged"
        case .hold: return "held"
        case .resume: return "resumed"
        case .pause: return "paused"
        case .limit: return "over a limit"
        case .gate: return "load check wait"
        case .end: return "ended"
        }
    }

    /// The SVG element alone, labelled by its `<title>` and `<desc>`.
    static func svg(_ timeline: RunTimeline, id: String, summary: String) -> String {
        let lanes = max(1, timeline.lanes.count)
        let height = top + Double(lanes) * (laneTitle + laneHeight) + axis
        let plotWidth = width - left - right
        func px(_ x: Double) -> String { number(left + RunTimeline.unit(x) * plotWidth) }
        let bottom = height - axis
        var out = "<svg class=\"timeline-svg\" viewBox=\"0 0 \(number(width)) \(number(height))\" width=\"100%\" "
            + "preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">"
            + "<title id=\"\(id)-title\">Replicas over time, run \(escape(timeline.runID))</title>"
            + "<desc id=\"\(id)-desc\">\(escape(summary))</desc>"
        if let zone = timeline.anchorZone {
            out += "<rect class=\"zone\" x=\"\(px(zone.x))\" y=\"\(number(top))\" width=\"\(number((1 - zone.x) * plotWidth))\" "
                + "height=\"\(number(bottom - top))\"/><text class=\"zone-label\" x=\"\(px(zone.x + 0.01))\" y=\"\(number(bottom - 6))\">"
                + "\(escape(zone.label))</text>"
        }
        for (index, lane) in timeline.lanes.enumerated() {
            let laneTop = top + Double(index) * (laneTitle + laneHeight) + laneTitle
            func yy(_ y: Double) -> Double { laneTop + laneHeight - 8 - RunTimeline.unit(y) * (laneHeight - 30) }
            func py(_ y: Double) -> String { number(yy(y)) }
            out += "<g class=\"lane\"><text class=\"lane-name\" x=\"\(number(left))\" y=\"\(number(laneTop - 6))\">"
                + "\(escape(lane.target))\(lane.current.map { " · now \($0)" } ?? "")</text>"
                + "<text class=\"count\" x=\"\(number(left - 6))\" y=\"\(py(1))\" text-anchor=\"end\">\(lane.high)</text>"
                + "<text class=\"count\" x=\"\(number(left - 6))\" y=\"\(py(0))\" text-anchor=\"end\">\(lane.low)</text>"
                + "<line class=\"base\" x1=\"\(px(0))\" y1=\"\(py(0))\" x2=\"\(px(1))\" y2=\"\(py(0))\"/>"
            for planned in [false, true] {
                let path = lane.segments.filter { $0.planned == planned }
                    .map { "M\(px($0.x1)) \(py($0.y1))L\(px($0.x2)) \(py($0.y2))" }.joined()
                if !path.isEmpty { out += "<path class=\"\(planned ? "line-planned" : "line-done")\" d=\"\(path)\"/>" }
            }
            for point in lane.points {
                let when = point.at.map { StatusPage.human($0) } ?? point.anchorText ?? ""
                out += "<g class=\"step step-\(point.state.rawValue)\"><circle cx=\"\(px(point.x))\" cy=\"\(py(point.y))\" r=\"4\">"
                    + "<title>step \(point.index): \(point.replicas) replicas, \(point.state == .done ? "done" : "due") \(escape(when))</title>"
                    + "</circle><text x=\"\(number(left + RunTimeline.unit(point.x) * plotWidth + 6))\" y=\"\(number(yy(point.y) - 6))\">"
                    + "\(point.replicas)</text>"
                if point.state != .done {
                    let due = point.at.map { String(StatusPage.stamp($0).dropFirst(11).prefix(5)) } ?? "after"
                    out += "<text class=\"due\" x=\"\(px(point.x))\" y=\"\(number(laneTop + laneHeight + 4))\" "
                        + "text-anchor=\"middle\">\(escape(due))</text>"
                }
                out += "</g>"
            }
            out += "</g>"
        }
        // Symbols of markers close together move right, so each stays readable (the line keeps the true time).
        var lastSymbol = -Double.infinity
        for marker in timeline.markers {
            let x = left + RunTimeline.unit(marker.x) * plotWidth
            let symbol = max(x, lastSymbol + 22)
            lastSymbol = symbol
            out += "<g class=\"marker \(marker.kind.rawValue)\"><line x1=\"\(number(x))\" y1=\"\(number(top - 8))\" "
                + "x2=\"\(number(x))\" y2=\"\(number(bottom))\"/><text x=\"\(number(symbol))\" y=\"\(number(top - 10))\" "
                + "text-anchor=\"middle\">\(marker.kind.symbol)</text>"
                + "<title>\(escape(StatusPage.human(marker.at))): \(escape(marker.label))</title></g>"
        }
        if let now = timeline.now {
            out += "<g class=\"now\"><line x1=\"\(px(now.x))\" y1=\"\(number(top - 4))\" x2=\"\(px(now.x))\" y2=\"\(number(bottom))\"/>"
                + "<text x=\"\(px(now.x))\" y=\"\(number(bottom + 14))\" text-anchor=\"middle\">now</text></g>"
        }
        out += "<text class=\"axis\" x=\"\(px(0))\" y=\"\(number(bottom + 32))\">start \(escape(StatusPage.human(timeline.start)))</text>"
        return out + "</svg>"
    }

    /// The text equivalent: a table of the targets (current count, next step, its due time), who acknowledged, and the
    /// markers.
    static func facts(_ timeline: RunTimeline, run: Run, now: Date) -> String {
        var out = "<table class=\"lanes\"><tr><th>target</th><th>replicas now</th><th>next step</th><th>due</th></tr>"
        for lane in timeline.lanes {
            let next = run.isOpen ? run.steps.first { !$0.status.isFinished && $0.phase != .undo && $0.target == lane.target } : nil
            out += "<tr class=\"lane-facts\"><td>\(escape(lane.target))</td><td class=\"current\">\(lane.current.map(String.init) ?? "unknown")</td>"
                + "<td class=\"next-step\">\(next.map { "step \($0.index): " + escape($0.detail) } ?? "none")</td>"
                + "<td class=\"next-due\">\(next.map { due($0, now: now) } ?? "")</td></tr>"
        }
        out += "</table><p class=\"ack\">"
            + (run.acknowledgedBy.map { "Acknowledged by <b class=\"acked-by\">\(escape($0))</b>" } ?? "Not acknowledged") + "</p>"
        if !timeline.markers.isEmpty {
            out += "<ul class=\"marker-list\">"
            for marker in timeline.markers {
                out += "<li><span class=\"symbol \(marker.kind.rawValue)\">\(marker.kind.symbol)</span> "
                    + "<time datetime=\"\(StatusPage.stamp(marker.at))\">\(escape(StatusPage.human(marker.at)))</time> "
                    + "\(escape(marker.label))</li>"
            }
            out += "</ul>"
        }
        return out
    }

    /// `2026-01-01 00:10:00 UTC (in 10m 00s)`, or `after the resolve (+30m)`.
    static func due(_ step: RunStep, now: Date) -> String {
        guard let at = step.due else {
            return "<span class=\"waiting\">after the \(escape(RunTimeline.anchorName(step.anchor)))"
                + " (+\(escape(Duration.seconds(max(0, step.offsetSeconds)).playbookText)))</span>"
        }
        return "<span class=\"due-at\">\(escape(StatusPage.human(at)))</span> "
            + "(<time class=\"countdown\" datetime=\"\(StatusPage.stamp(at))\">\(escape(StatusPage.countdown(at.timeIntervalSince(now))))</time>)"
    }

    /// One sentence for the SVG's `<desc>`: each target's current count and next step.
    static func summaryText(_ timeline: RunTimeline, run: Run) -> String {
        let lanes = timeline.lanes.map { lane -> String in
            var text = lane.target + ": " + (lane.current.map { "\($0) replicas" } ?? "count unknown")
            if let next = lane.points.first(where: { $0.state != .done }) {
                let when = next.at.map { "at " + StatusPage.human($0) } ?? next.anchorText ?? ""
                text += ", next \(next.replicas) \(when)"
            }
            return text
        }
        let ack = run.acknowledgedBy.map { "acknowledged by \($0)" } ?? "not acknowledged"
        return (lanes + [ack]).joined(separator: "; ")
    }

    /// `id` with every character outside `[A-Za-z0-9-]` replaced by `-`, at most 64 characters.
    static func safeID(_ id: String) -> String {
        String(id.prefix(64).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" })
    }

    /// A coordinate with one decimal, never NaN.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return String(format: "%.1f", value)
    }

    private static func escape(_ text: String) -> String { StatusPage.escape(text) }
}
