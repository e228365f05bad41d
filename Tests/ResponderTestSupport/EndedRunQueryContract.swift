import Foundation
import ResponderCore

/// What every ``RunRepository`` must answer to an ``EndedRunQuery``, checked against the SQLite journal and PostgreSQL
/// alike; returns what did not hold (empty when all did).
public enum EndedRunQueryContract {
    /// Six runs: `run-1` ... `run-5` ended (two playbooks, two targets, four statuses, ending an hour apart, started
    /// in order) and `run-6` still active. Filters by status, playbook, target and end time, pages and bounds.
    public static func filtersAndPages(_ store: any RunRepository) async throws -> [String] {
        var failures: [String] = []
        let start = RunSamples.start
        func run(_ number: Int, _ status: RunStatus, playbook: String, targets: [String]) -> Run {
            var run = RunSamples.run("run-\(number)", status: status, startedAt: start.addingTimeInterval(Double(number) * 60),
                                     endedAt: status == .active ? nil : start.addingTimeInterval(Double(number) * 3600), steps: [])
            run.playbook = playbook
            run.targets = targets
            return run
        }
        try await store.save([
            run(1, .completed, playbook: "ladder", targets: ["worker"]),
            run(2, .aborted, playbook: "ladder", targets: ["api", "worker"]),
            run(3, .failed, playbook: "burst", targets: ["api"]),
            run(4, .preempted, playbook: "burst", targets: ["worker"]),
            run(5, .completed, playbook: "burst", targets: ["api-gateway"]),
            run(6, .active, playbook: "burst", targets: ["api"]),
        ])
        func ids(_ query: EndedRunQuery) async throws -> [String] { try await store.endedRuns(matching: query).map(\.id) }
        func expect(_ query: EndedRunQuery, _ wanted: [String], _ what: String) async throws {
            let got = try await ids(query)
            if got != wanted { failures.append("\(what): \(got), wanted \(wanted)") }
        }
        try await expect(EndedRunQuery(limit: 10), ["run-5", "run-4", "run-3", "run-2", "run-1"], "every ended run, newest start first")
        try await expect(EndedRunQuery(statuses: [.completed], limit: 10), ["run-5", "run-1"], "by status")
        try await expect(EndedRunQuery(statuses: [.active, .held], limit: 10), [], "open runs are never returned")
        try await expect(EndedRunQuery(playbook: "ladder", limit: 10), ["run-2", "run-1"], "by playbook")
        try await expect(EndedRunQuery(target: "api", limit: 10), ["run-3", "run-2"], "by target, exactly (not api-gateway)")
        try await expect(EndedRunQuery(target: "%", limit: 10), [], "a target is not a pattern")
        try await expect(EndedRunQuery(endedSince: start.addingTimeInterval(2 * 3600), endedBefore: start.addingTimeInterval(4 * 3600),
                                       limit: 10), ["run-3", "run-2"], "by end time: since included, before excluded")
        try await expect(EndedRunQuery(statuses: [.completed, .preempted], playbook: "burst", target: "worker", limit: 10), ["run-4"],
                         "all filters together")
        try await expect(EndedRunQuery(limit: 2), ["run-5", "run-4"], "the first page")
        try await expect(EndedRunQuery(limit: 2, offset: 2), ["run-3", "run-2"], "the second page")
        try await expect(EndedRunQuery(limit: 2, offset: 4), ["run-1"], "the last page")
        try await expect(EndedRunQuery(limit: Int.max, offset: Int.max), [], "bounds are clamped, never trap")
        try await expect(EndedRunQuery(limit: 0), [], "limit 0")
        try await expect(EndedRunQuery(limit: -5, offset: -5), [], "a negative limit is 0")
        return failures
    }
}
