import Foundation
import Testing

/// `responder plan --event` through the real binary, on the default playbooks: the preparation time and the ladder of a
/// scheduled event, read and checked as the events API would.
@Suite("`responder plan --event`")
struct PlanEventCommandTests {
    /// The default playbooks.
    static let playbooks = DefaultPlaybooksTests.root + "/Playbooks"

    /// The arguments of labelmint-pre-event (lead 24h, hold 1h, ladder every 10m) for 10:00 to 14:00 Berlin time (CEST, +02:00).
    static let event = ["plan", "--event", "--playbook", "labelmint-pre-event", "--name", "Launch", "--start", "2026-05-04T10:00",
                        "--end", "2026-05-04T14:00", "--tz", "Europe/Berlin", "--annotation", "event_name=Launch",
                        "--now", "2026-05-01T09:00:00Z", "--playbooks", playbooks]

    @Test("text: the event line with the preparation time, then the actions at start - 24h and the ladder from end + 1h")
    func text() async throws {
        let process = try ResponderProcess(arguments: Self.event, logs: true)
        #expect(try await process.waitForExit() == 0, "\(process.stdout)")
        let lines = process.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Event \"Launch\" (labelmint-pre-event): 2026-05-04T08:00:00.000Z (2026-05-04T10:00 Europe/Berlin) to "
            + "2026-05-04T12:00:00.000Z (2026-05-04T14:00 Europe/Berlin); preparation starts 2026-05-03T08:00:00.000Z "
            + "(2026-05-03T10:00 Europe/Berlin).")
        let steps = lines.filter { $0.hasPrefix("  2026-") }.map { $0.split(separator: " ").prefix(4).joined(separator: " ") }
        #expect(steps == [
            "2026-05-03T08:00:00.000Z event_start -1d notify:",
            "2026-05-03T08:00:00.000Z event_start -1d command:",
            "2026-05-03T08:00:00.000Z event_start -1d command:",
            "2026-05-03T08:00:00.000Z event_start -1d scale",
            "2026-05-03T08:00:00.000Z event_start -1d scale",
            "2026-05-03T08:00:00.000Z event_start -1d command:",
            "2026-05-03T08:00:00.000Z event_start -1d http:",
            "2026-05-03T08:00:00.000Z event_start -1d command:",
            "2026-05-03T08:00:00.000Z event_start -1d notify:",
            "2026-05-04T13:00:00.000Z event_end +1h scale",
            "2026-05-04T13:00:00.000Z event_end +1h scale",
            "2026-05-04T13:10:00.000Z event_end +1h10m scale",
            "2026-05-04T13:10:00.000Z event_end +1h10m scale",
        ], "\(lines)")
        #expect(process.stdout.contains("Preparing LabelMint for Launch"), "the annotation reaches the templates")
    }

    @Test("json: the event with prepare_at, and the plan as `plan --alert` prints one")
    func json() async throws {
        let process = try ResponderProcess(arguments: Self.event + ["--format", "json"])
        #expect(try await process.waitForExit() == 0, "\(process.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(process.stdout.utf8)) as? [String: Any])
        let event = try #require(object["event"] as? [String: Any])
        #expect(event["prepare_at"] as? String == "2026-05-03T08:00:00.000Z")
        #expect(event["time_zone"] as? String == "Europe/Berlin")
        let plan = try #require(object["plan"] as? [String: Any])
        let timelines = try #require(plan["timelines"] as? [[String: Any]])
        #expect(timelines.compactMap { $0["playbook"] as? String } == ["labelmint-pre-event"])
        let steps = timelines.first?["steps"] as? [[String: Any]] ?? []
        let scales = steps.filter { $0["action"] as? String == "scale" }
            .map { "\($0["due"] as? String ?? "-") \($0["target"] as? String ?? "-") \($0["from"] as? Int ?? -1)->\($0["to"] as? Int ?? -1)" }
        #expect(scales == [
            "2026-05-03T08:00:00.000Z labelmint-backend 2->10", "2026-05-03T08:00:00.000Z labelmint-worker 3->25",
            "2026-05-04T13:00:00.000Z labelmint-backend 10->3", "2026-05-04T13:00:00.000Z labelmint-worker 25->8",
            "2026-05-04T13:10:00.000Z labelmint-backend 3->2", "2026-05-04T13:10:00.000Z labelmint-worker 8->3",
        ])
    }

    @Test("exactly one of --alert and --event; --event needs its playbook and times; the rules' refusal is printed",
          arguments: [
              (["plan", "--playbooks", PlanEventCommandTests.playbooks], "give --alert FILE to plan an alert, or --event"),
              (["plan", "--event", "--alert", "a.json", "--playbook", "p", "--start", "s", "--end", "e"], "give --alert or --event, not both"),
              (["plan", "--event", "--playbook", "labelmint-pre-event", "--start", "2026-05-04T08:00:00Z"], "--event needs --end"),
              (["plan", "--alert", "a.json", "--tz", "UTC"], "--tz only go with --event"),
              (["plan", "--event", "--playbook", "labelmint-pre-event", "--start", "2026-05-04T08:00", "--end", "2026-05-04T12:00:00Z",
                "--playbooks", PlanEventCommandTests.playbooks], "start: the time \"2026-05-04T08:00\" has no offset"),
              (["plan", "--event", "--playbook", "labelmint-pre-event", "--start", "2026-05-04T12:00:00Z", "--end", "2026-05-04T08:00:00Z",
                "--now", "2026-05-01T09:00:00Z", "--playbooks", PlanEventCommandTests.playbooks], "the event would be refused: the end"),
              (["plan", "--event", "--playbook", "labelmint-emergency-scale", "--start", "2026-05-04T08:00:00Z", "--end",
                "2026-05-04T12:00:00Z", "--now", "2026-05-01T09:00:00Z", "--playbooks", PlanEventCommandTests.playbooks],
               "playbook labelmint-emergency-scale is emergency-scale, not pre-event"),
          ])
    func refusals(_ arguments: [String], _ message: String) async throws {
        let process = try ResponderProcess(arguments: arguments, logs: true)
        #expect(try await process.waitForExit() != 0)
        #expect(process.stdout.contains(message), "\(process.stdout)")
    }
}
