import Foundation
import ResponderCore
@testable import ResponderServer
import ResponderTestSupport
import Testing

/// The timeline model (``RunTimeline``) and its SVG and text (``TimelineSVG``), without a server.
@Suite("run timeline")
struct RunTimelineTests {
    /// 2026-01-01T00:00:00Z.
    static let start = RunSamples.start

    /// A ladder run: step 0 scaled worker 2 → 9 one second in, step 1 (9 → 4) is due at +600 s, step 2 (4 → 2) waits
    /// 30 minutes after the resolve.
    static func ladder() -> Run {
        var steps = [
            RunSamples.step(0, .action(.scale(target: "worker", change: .to(9))), target: "worker", to: 9),
            RunSamples.step(1, .action(.scale(target: "worker", change: .to(4))), target: "worker", to: 4, phase: .ladder,
                            due: start.addingTimeInterval(600)),
            RunSamples.step(2, .action(.scale(target: "worker", change: .to(2))), target: "worker", to: 2, phase: .ladder, due: nil),
        ]
        steps[0].from = 2
        steps[0].status = .done
        steps[0].finishedAt = start.addingTimeInterval(1)
        steps[1].from = 9
        steps[2].from = 4
        steps[2].offsetSeconds = 1800
        var run = RunSamples.run("run-3", steps: steps)
        run.history = [RunEvent(at: start, message: "started by alert QueueDepthHigh (playbook queue-burst, emergency-scale)")]
        return run
    }

    @Test("done steps are solid up to now, planned steps dashed at their due times, steps waiting for the resolve after now")
    func positions() throws {
        let now = Self.start.addingTimeInterval(300)
        let timeline = RunTimeline(run: Self.ladder(), now: now)
        #expect(timeline.start == Self.start)
        #expect(timeline.end == Self.start.addingTimeInterval(600), "the dated part ends at the last due step")
        let dated = RunTimeline.anchorZone - 0.04
        let nowX = try #require(timeline.now?.x)
        #expect(abs(nowX - dated * 0.5) < 1e-9)
        #expect(timeline.anchorZone?.label == "after the resolve")
        let lane = try #require(timeline.lanes.first)
        #expect(timeline.lanes.count == 1 && lane.target == "worker")
        #expect(lane.current == 9 && lane.low == 0 && lane.high == 9)
        #expect(lane.points.map(\.index) == [0, 1, 2])
        #expect(lane.points.map(\.state) == [.done, .planned, .afterAnchor])
        #expect(abs(lane.points[0].x - dated / 600) < 1e-9 && lane.points[0].y == 1)
        #expect(abs(lane.points[1].x - dated) < 1e-9 && abs(lane.points[1].y - 4.0 / 9) < 1e-9)
        #expect(lane.points[1].at == Self.start.addingTimeInterval(600))
        #expect(lane.points[2].x > RunTimeline.anchorZone && lane.points[2].x <= 1, "after the resolve, right of now")
        #expect(lane.points[2].at == nil && lane.points[2].anchorText == "+30m after the resolve")
        let solid = lane.segments.filter { !$0.planned }
        let dashed = lane.segments.filter(\.planned)
        #expect(solid.allSatisfy { $0.x2 <= nowX + 1e-9 }, "nothing done is drawn after now")
        #expect(solid.last?.x2 == nowX && solid.last?.y2 == 1, "9 replicas hold until now")
        #expect(dashed.first?.x1 == nowX && dashed.allSatisfy { $0.x1 >= nowX }, "the plan starts at now")
        #expect(solid.first.map { $0.x1 == 0 && abs($0.y1 - 2.0 / 9) < 1e-9 } == true, "the line starts at the count before step 0")
    }

    @Test("the run's events become markers: firing, resolve, ack, hold, resume, pause, limit and gate waits, and the end")
    func markers() throws {
        var run = Self.ladder()
        let lines = [
            (10, "acknowledged by alice"), (20, "held by bob: no step fires until resumed"),
            (30, "resumed by bob; remaining steps moved 10s later"),
            (40, "paused by pause-1 (maintenance): step 1 (replicas 9 -> 4) waits until the pause ends"),
            (50, "step 1 held: over 3 actions per 1h"), (60, "step 1 waits for its load check: cpu below 50: 80 is not below 50"),
            (70, "alert QueueDepthHigh fired again; joined (one run per alert)"), (80, "step 1 done: replicas 4"),
        ]
        run.history += lines.map { RunEvent(at: Self.start.addingTimeInterval(TimeInterval($0.0)), message: $0.1) }
        run.resolvedAt = Self.start.addingTimeInterval(90)
        run.status = .completed
        run.endedAt = Self.start.addingTimeInterval(900)
        let timeline = RunTimeline(run: run, now: Self.start.addingTimeInterval(1000))
        #expect(timeline.markers.map(\.kind) == [.firing, .ack, .hold, .resume, .pause, .limit, .gate, .firing, .resolve, .end])
        #expect(timeline.markers.map(\.x) == timeline.markers.map(\.x).sorted())
        #expect(timeline.now == nil, "an ended run has no now line")
        #expect(timeline.markers.last?.x == 1 && timeline.markers.last?.label == "run ended: completed")
        let html = TimelineSVG.figure(timeline, run: run, now: Self.start.addingTimeInterval(1000))
        #expect(html.contains("acknowledged by alice") && html.contains(#"<g class="marker ack">"#))
        #expect(!html.contains(#"<g class="now">"#))
    }

    @Test("a line's recorded kind makes its marker whatever its wording; a line without one is read from the engine's wording")
    func recordedKinds() throws {
        var run = Self.ladder()
        run.history += RunEvent.Kind.allCases.enumerated().map { index, kind in
            RunEvent(at: Self.start.addingTimeInterval(TimeInterval(10 + index)), message: "reworded line \(index)", kind: kind)
        }
        run.history.append(RunEvent(at: Self.start.addingTimeInterval(30), message: "acknowledged by carol"))
        let timeline = RunTimeline(run: run, now: Self.start.addingTimeInterval(100))
        #expect(timeline.markers.map(\.kind) == [.firing, .ack, .hold, .resume, .firing, .pause, .limit, .gate, .ack])
    }

    @Test("counts of any Int and dates far out are clamped into the drawing without trapping; a run with no steps draws")
    func clamping() throws {
        var run = Self.ladder()
        run.steps[0].from = Int.min
        run.steps[0].to = Int.max
        run.steps[1].to = -5
        run.steps[1].due = .distantFuture
        run.history.append(RunEvent(at: .distantPast, message: "acknowledged by nobody"))
        let now = Self.start.addingTimeInterval(30)
        let timeline = RunTimeline(run: run, now: now)
        let lane = try #require(timeline.lanes.first)
        #expect(lane.low == Int.min && lane.high == Int.max && lane.current == Int.max)
        let values = lane.points.flatMap { [$0.x, $0.y] } + lane.segments.flatMap { [$0.x1, $0.y1, $0.x2, $0.y2] }
            + timeline.markers.map(\.x)
        #expect(values.allSatisfy { $0.isFinite && (0...1).contains($0) })
        #expect(timeline.end.timeIntervalSince(timeline.start) == RunTimeline.maxSpan, "a due date far out is clamped")
        #expect(!timeline.markers.contains { $0.label == "acknowledged by nobody" }, "a date outside 1970-9999 is not placed")
        let svg = TimelineSVG.figure(timeline, run: run, now: now)
        #expect(svg.contains(">9223372036854775807<") && svg.contains(">-5<") && !svg.contains("nan"))

        let empty = RunSamples.run("run-0", steps: [])
        let none = RunTimeline(run: empty, now: now)
        #expect(none.lanes.map(\.target) == ["worker"] && none.lanes[0].points.isEmpty && none.lanes[0].current == nil)
        #expect(none.anchorZone == nil && none.now.map { $0.x > 0 && $0.x <= 1 } == true)
        let drawn = TimelineSVG.figure(none, run: empty, now: now)
        #expect(drawn.contains("<svg") && drawn.contains(#"<td class="current">unknown</td>"#) && drawn.contains("<td class=\"next-step\">none</td>"))
    }

    @Test("labels, targets and names are escaped in the SVG and the text; the SVG is labelled and scales")
    func escaping() throws {
        let hostile = #"<script>alert("x")</script> & 'q'"#
        var run = Self.ladder()
        run.id = "run-\"><b>"
        run.targets = [hostile]
        for index in run.steps.indices { run.steps[index].target = hostile }
        run.acknowledgedBy = hostile
        run.alertName = hostile
        run.history.append(RunEvent(at: Self.start.addingTimeInterval(5), message: "acknowledged by " + hostile))
        let now = Self.start.addingTimeInterval(300)
        let html = TimelineSVG.figure(RunTimeline(run: run, now: now), run: run, now: now)
        #expect(!html.contains("<script") && !html.contains("\"x\"") && !html.contains("'q'") && !html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
        #expect(html.contains(#"<b class="acked-by">&lt;script&gt;"#))
        #expect(html.contains(#"role="img" aria-labelledby="tl-run----b--title tl-run----b--desc">"#))
        #expect(html.contains(#"<title id="tl-run----b--title">"#) && html.contains(#"<desc id="tl-run----b--desc">"#))
        #expect(html.contains(#"viewBox="0 0 960.0 "#) && html.contains(#"width="100%""#))
        #expect(html.contains(#"<td class="current">9</td>"#))
        #expect(html.contains(#"<span class="due-at">2026-01-01 00:10:00 UTC</span>"#), "the next step's due time, as text")
        #expect(html.contains(#"<time class="countdown" datetime="2026-01-01T00:10:00.000Z">in 5m 00s</time>"#))
    }
}
