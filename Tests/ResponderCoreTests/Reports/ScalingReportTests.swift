import Foundation
import ResponderCore
import Testing

@Suite("ScalingReport: what a run changed, for people")
struct ScalingReportTests {
    let report = ScalingReport(run: ScalingReportSample.run())

    @Test("the header: state, times, duration, who acknowledged, holds and resumes by whom")
    func header() {
        #expect(report.runID == "run-7")
        #expect(report.state == "completed")
        #expect(report.ended)
        #expect(report.asOf == ScalingReportSample.at(9000))
        #expect(report.durationSeconds == 9000)
        #expect(report.acknowledgedBy == "alice")
        #expect(report.people.map { "\($0.action) \($0.actor)" } == ["acknowledged alice", "held bob|evil`", "resumed bob|evil`"])
    }

    @Test("changes: done steps that changed something, by the engine or by the person who acknowledged")
    func changes() {
        #expect(report.changes.map(\.step) == [0, 2, 3], "the notify step changes nothing; the failed step is not a change")
        #expect(report.changes.map(\.by) == ["responder (alert QueueDepthHigh)", "alice (acknowledged)", "responder (alert QueueDepthHigh)"])
        #expect(report.changes[1].from == 12 && report.changes[1].to == 8)
        #expect(report.changes[1].at == ScalingReportSample.at(3660))
    }

    @Test("targets: initial, peak, final and exact time at each level")
    func targets() {
        let api = report.targets.first { $0.target == "api" }
        #expect(api?.initial == 4 && api?.peak == 12 && api?.final == 4)
        #expect(api?.levels.map(\.replicas) == [12, 8, 4])
        #expect(api?.levels.map(\.seconds) == [3600, 3600, 1740])
        #expect(api?.levels.last?.until == nil)
        let worker = report.targets.first { $0.target == "worker" }
        #expect(worker?.initial == 2 && worker?.peak == 2 && worker?.final == 2 && worker?.levels.isEmpty == true)
    }

    @Test("load checks, undo outcomes and steps that did not run")
    func checksUndoProblems() {
        #expect(report.checks.count == 1)
        #expect(report.checks.first?.heldSeconds == 3000 && report.checks.first?.readings == 12)
        #expect(report.checks.first?.lastValue == 412 && report.checks.first?.waiting == false)
        #expect(report.undo.map(\.status) == ["failed", "skipped"])
        #expect(report.undo.map(\.undoes) == [0, nil])
        #expect(report.problems.map(\.step) == [4])
    }

    @Test("a scale step to the count a target had is no change, and its level goes on")
    func noOpSteps() {
        var run = ScalingReportSample.run()
        run.steps[2].to = 12
        run.steps[2].acknowledged = false
        let report = ScalingReport(run: run)
        #expect(report.changes.map(\.step) == [0, 3])
        let api = report.targets.first { $0.target == "api" }
        #expect(api?.levels.map(\.replicas) == [12, 4])
        #expect(api?.levels.map(\.seconds) == [7200, 1740])
    }

    @Test("an open run: closing reads as ending, levels and waits run to now")
    func openRun() {
        var run = ScalingReportSample.run()
        run.status = .active
        run.endedAt = nil
        run.closing = .aborted
        run.steps[2].wait?.until = nil
        let report = ScalingReport(run: run, now: ScalingReportSample.at(10_000))
        #expect(report.state == "ending (undo running, then aborted)")
        #expect(!report.ended)
        #expect(report.durationSeconds == 10_000)
        #expect(report.targets.first?.levels.last?.seconds == 2740)
        #expect(report.checks.first?.waiting == true && report.checks.first?.heldSeconds == 9400)
        #expect(report.markdown.contains("still waiting"))
        run.closing = .completed
        #expect(ScalingReport(run: run).state == "ending (undo running)")
        #expect(ScalingReport(run: run).asOf == ScalingReportSample.at(8995), "without now: the last thing recorded")
    }

    @Test("dates far apart or reversed never trap")
    func extremeDates() {
        var run = ScalingReportSample.run()
        run.startedAt = .distantPast
        run.endedAt = Date(timeIntervalSince1970: 1e300)
        run.steps[3].finishedAt = Date(timeIntervalSince1970: -1e300)
        let report = ScalingReport(run: run)
        #expect(report.durationSeconds == Int.max)
        #expect(report.targets.allSatisfy { $0.levels.allSatisfy { $0.seconds >= 0 } })
        #expect(!report.markdown.isEmpty)
    }

    @Test("history lines with odd actors: the name up to `:` or `;`, empty names ignored")
    func actors() {
        func actor(_ text: String) -> String? { ScalingReport.personAction(RunEvent(at: .distantPast, message: text))?.actor }
        #expect(actor("aborted by carol while undoing: remaining undo steps cancelled") == "carol")
        #expect(actor("held by : nothing") == nil)
        #expect(actor("acknowledged by ") == nil)
        #expect(actor("acknowledged by U123 (slack)") == "U123 (slack)")
        #expect(actor("held: step 2 waited") == nil)
        #expect(actor("resumed by \u{202E}x;y") == "\u{202E}x")
    }

    @Test("JSON: snake_case keys, RFC 3339 dates, reads back")
    func json() throws {
        let data = try report.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["run_id", "started_at", "ended_at", "duration_seconds", "acknowledged_by", "changes", "targets", "checks", "undo", "problems", "dry_run"] {
            #expect(object[key] != nil, "\(key)")
        }
        #expect(object["started_at"] as? String == "2026-09-21T14:13:20.000Z")
        let check = try #require((object["checks"] as? [[String: Any]])?.first)
        #expect(check["held_seconds"] as? Int == 3000 && check["last_reason"] as? String == "412 is not below 300")
        #expect(try ScalingReport.decoder().decode(ScalingReport.self, from: data) == report)
    }

    @Test("Markdown: title, summary, tables, sections; hostile text escaped")
    func markdown() {
        let text = report.markdown
        #expect(text.hasPrefix("# Scaling report: run-7 (queue-burst)\n"))
        #expect(text.contains("**completed** after 2h30m; 3 changes on 1 target(s); api 4 → peak 12 → 4, worker 2 → peak 2 → 2"))
        #expect(text.contains("| 2026-09-21T15:14:20.000Z | 2 | ladder | api | replicas 12 -> 8 | 12 → 8 | alice (acknowledged) |"))
        #expect(text.contains("| api | 4 | 12 | 4 | 12 for 1h, 8 for 1h, 4 for 29m |"))
        #expect(text.contains("- Held by bob\\|evil\\` at "))
        #expect(text.contains("queue\\_depth \\< 300 held it 50m (12 readings); last: 412 is not below 300, value 412"))
        #expect(text.contains("- Step 5 (undoes step 0): put back the HPA of api: **failed**: HPA api not found"))
        #expect(text.contains("**failed**: boom \\| \\`rm -rf /\\` \\<!channel> \\*bold\\*"))
        #expect(!Self.hasUnescaped(text, "<") && !Self.hasUnescaped(text, "`"))
        // Every table row has as many unescaped pipes as its header.
        for line in text.split(separator: "\n") where line.hasPrefix("| 20") {
            #expect(Self.unescapedPipes(String(line)) == 8, "\(line)")
        }
    }

    @Test("escaping: hostile strings stay one inert line", arguments: [
        "a|b", "`code`", "line\nbreak\r\nx", "<script>", "[x](javascript:alert(1))", "![i](http://x)", "\\|", "|\u{301}",
        "\u{1B}[2J", "\u{2028}", "&amp;", "~~s~~ *e* _u_",
    ])
    func escaping(_ hostile: String) {
        let out = MarkdownText.escape(hostile)
        #expect(!out.contains("\n") && !out.contains("\r") && !out.contains("\u{1B}") && !out.contains("\u{2028}"))
        #expect(Self.unescapedPipes(out) == 0)
        let specials: [Unicode.Scalar] = ["`", "<", "[", "&", "*", "_", "~"]
        for special in specials {
            #expect(!Self.hasUnescaped(out, special), "\(special) in \(out)")
        }
    }

    @Test("escaping a cut value never splits an escape")
    func cut() {
        #expect(MarkdownText.escape(String(repeating: "|", count: 10), limit: 4) == "\\|\\|\\|…")
        #expect(MarkdownText.escape("ab", limit: 4) == "ab")
    }

    static func unescapedPipes(_ text: String) -> Int {
        var count = 0
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped { escaped = false; continue }
            if scalar == "\\" { escaped = true } else if scalar == "|" { count += 1 }
        }
        return count
    }

    static func hasUnescaped(_ text: String, _ special: Unicode.Scalar) -> Bool {
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped { escaped = false; continue }
            if scalar == "\\" { escaped = true } else if scalar == special { return true }
        }
        return false
    }
}
