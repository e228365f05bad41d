import Foundation
import ResponderCore
import Testing

@Suite("simulate prints the scaling report of each run that ended")
struct SimulationReportTests {
    static func result() -> SimulationResult {
        Simulator.run(SimulationFixtures.scenario([SimulationFixtures.fire("Spike", at: 0), SimulationFixtures.resolve("Spike", at: 600)],
                                                  until: 7200, expect: nil),
                      playbooks: SimulationFixtures.playbooks)
    }

    @Test("the text form has the report after the timeline, before the runs")
    func text() throws {
        let result = Self.result()
        let report = try #require(result.reports.first)
        #expect(report.ended && report.runID == "run-1")
        let api = try #require(report.targets.first { $0.target == "api" })
        #expect(api.initial == 2 && api.peak == 6 && api.final == 2, "\(api)")
        let text = SimulationTextRenderer.render(result)
        let timeline = try #require(text.range(of: "Timeline:"))
        let title = try #require(text.range(of: "# Scaling report: run-1 (spike)"))
        let runs = try #require(text.range(of: "\nRuns:"))
        #expect(timeline.upperBound < title.lowerBound && title.upperBound < runs.lowerBound)
        #expect(text.contains("| api | 2 | 6 | 2 |"), "\(text)")
    }

    @Test("the JSON form has the reports under `reports`, with their Markdown")
    func json() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: SimulationJSON.encode(Self.result())) as? [String: Any])
        let reports = try #require(json["reports"] as? [[String: Any]])
        #expect(reports.count == 1)
        #expect(reports.first?["run_id"] as? String == "run-1")
        #expect((reports.first?["markdown"] as? String)?.hasPrefix("# Scaling report: run-1") == true)
        #expect((reports.first?["targets"] as? [[String: Any]])?.first?["peak"] as? Int == 6)
    }
}
