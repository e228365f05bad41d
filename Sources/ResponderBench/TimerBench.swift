import Foundation
import Logging
import NIOConcurrencyHelpers
import ResponderCore
import ResponderRuntime
import ResponderServer
import ResponderStore

/// `responder-bench [timers] [--count N] [--spread S]`: N runs, each with one step due at a random time within `spread` seconds, restored from a
/// real SQLite store by the real coordinator and fired by its timer loop. Prints restore time, fire lateness
/// percentiles and peak memory.
@main
struct TimerBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        if arguments.count > 1, arguments[1] == "fill-store" {
            try await StoreFill.run(arguments)
            return
        }
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let count = option("--count", 10_000)
        let spread = option("--spread", 30)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let journal = try SQLiteJournal(path: folder + "/responder.sqlite")

        let start = Date().addingTimeInterval(5)
        var runs: [Run] = []
        runs.reserveCapacity(count)
        let policy = RunPolicy(Playbook(name: "bench", kind: .scaleDown, match: .init(matchers: []), actions: [],
                                        location: FileLocation(file: "bench", line: 1)))
        for index in 0..<count {
            let due = start.addingTimeInterval(Double.random(in: 0..<Double(spread)))
            let step = RunStep(index: 0, phase: .ladder, anchor: .now, offsetSeconds: 0, due: due,
                               work: .action(.scale(target: "t\(index)", change: .to(2))), target: "t\(index)", to: 2,
                               detail: "replicas 3 -> 2")
            runs.append(Run(id: "run-\(index + 1)", playbook: "bench", kind: .scaleDown, targets: ["t\(index)"],
                            alertFingerprint: String(index, radix: 16), alertName: "Bench", startedAt: Date(), steps: [step],
                            dryRun: true, policy: policy))
        }
        for chunk in stride(from: 0, to: runs.count, by: 1000) {
            try await journal.save(Array(runs[chunk..<min(chunk + 1000, runs.count)]))
        }
        let executor = LatencyExecutor()
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let registry = PlaybookRegistry(logger: logger) { .success(PlaybookSet(targets: [:], playbooks: [], files: [])) }
        let restoreStart = ContinuousClock.now
        let store = try await SQLiteRunTransactions(journal: journal, keepEnded: .seconds(86_400), now: Date())
        let coordinator = RunCoordinator(store: store, executor: executor, playbooks: registry, logger: logger)
        let restore = ContinuousClock.now - restoreStart
        print("pending timers: \(count), spread over \(spread) s, store: SQLite (WAL, synchronous=FULL)")
        print("restore \(count) open runs from the store: \(restore)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await RunTimerService(coordinator: coordinator, executor: executor).run() }
            while executor.count < count, Date() < start.addingTimeInterval(Double(spread) + 120) {
                try await Task.sleep(for: .milliseconds(200))
            }
            group.cancelAll()
        }
        let lateness = executor.lateness.sorted()
        func percentile(_ p: Double) -> Double {
            lateness.isEmpty ? .nan : lateness[min(lateness.count - 1, Int(Double(lateness.count) * p))] * 1000
        }
        print("fired: \(lateness.count) of \(count); early: \(lateness.filter { $0 < 0 }.count)")
        print(String(format: "lateness ms: p50 %.1f  p99 %.1f  max %.1f", percentile(0.5), percentile(0.99), (lateness.last ?? .nan) * 1000))
        print("peak RSS: \(peakRSS())")
    }

    static func peakRSS() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return "unknown" }
        return line.dropFirst(6).trimmingCharacters(in: .whitespaces)
    }
}

/// Records, for every executed step, how late it ran against its due time.
final class LatencyExecutor: StepExecutor {
    private let box = NIOLockedValueBox<[Double]>([])

    var lateness: [Double] { box.withLockedValue { $0 } }
    var count: Int { box.withLockedValue { $0.count } }

    func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult {
        let late = Date().timeIntervalSince(step.due ?? Date())
        box.withLockedValue { $0.append(late) }
        return .success(detail: "bench", snapshot: [:])
    }

    func replicas(of targets: [String]) async -> [String: Int] { [:] }
}
