/// Compares a simulation's outcome with a scenario's `expect:` block, one ``ScenarioCheck`` per expectation (and, for
/// the step list, one per difference).
struct ExpectationChecker {
    /// The scenario, for locations.
    let scenario: Scenario
    /// What the simulation did.
    let result: SimulationResult

    /// Every check, in the order the expectations are written.
    func check(_ expect: ScenarioExpectations) -> [ScenarioCheck] {
        var checks: [ScenarioCheck] = []
        for count in expect.finalReplicas {
            let got = result.finalReplicas[count.target]
            checks.append(ScenarioCheck(
                location: scenario.location(count.line), expectation: "final replicas of \(count.target): \(count.value)",
                failure: got == count.value ? nil : "got \(got.map(String.init) ?? "none")"
            ))
        }
        if let actions = expect.actions { checks += checkActions(actions, line: expect.actionsLine) }
        if let runs = expect.runs { checks += checkRuns(runs, line: expect.runsLine) }
        if let notifications = expect.notifications { checks += checkNotifications(notifications) }
        return checks
    }

    /// The executed steps must be exactly the listed ones. Differences are reported as a diff: a step that differs
    /// at its line ("got ... instead"), a missing one at its line, an unexpected one at the line before it.
    private func checkActions(_ expected: [ScenarioLine], line: Int) -> [ScenarioCheck] {
        let actual = result.steps.map { ScenarioLine(offset: .seconds($0.entry.offsetSeconds), text: $0.step.expectationText, line: 0) }
        let same = { (lhs: ScenarioLine, rhs: ScenarioLine) in lhs.offset == rhs.offset && lhs.text == rhs.text }
        let pairs = Self.commonSubsequence(expected, actual, same)
        if pairs.count == expected.count, pairs.count == actual.count {
            return [ScenarioCheck(location: scenario.location(line), expectation: "actions: \(expected.count) steps, as listed")]
        }
        var checks: [ScenarioCheck] = []
        var previous = (expected: 0, actual: 0)
        for (expectedEnd, actualEnd) in pairs + [(expected.count, actual.count)] {
            let missing = Array(expected[previous.expected..<expectedEnd])
            let extra = Array(actual[previous.actual..<actualEnd])
            for (index, item) in missing.enumerated() {
                let failure = index < extra.count ? "got \"\(extra[index])\" instead" : "no such step ran"
                checks.append(ScenarioCheck(location: scenario.location(item.line), expectation: "step \"\(item)\"", failure: failure))
            }
            let before = missing.last?.line ?? (previous.expected > 0 ? expected[previous.expected - 1].line : line)
            for item in extra.dropFirst(missing.count) {
                checks.append(ScenarioCheck(location: scenario.location(before), expectation: "actions",
                                            failure: "unexpected step \"\(item)\" ran here"))
            }
            previous = (expectedEnd + 1, actualEnd + 1)
        }
        return checks
    }

    /// Every run, in start order, with its playbook and final status.
    private func checkRuns(_ expected: [ScenarioExpectations.ExpectedRun], line: Int) -> [ScenarioCheck] {
        var checks: [ScenarioCheck] = []
        for (index, item) in expected.enumerated() {
            let want = "run \(index + 1): \(item.playbook) \(item.status.rawValue)"
            guard index < result.runs.count else {
                checks.append(ScenarioCheck(location: scenario.location(item.line), expectation: want,
                                            failure: "only \(result.runs.count) run(s) started"))
                continue
            }
            let run = result.runs[index]
            let matches = run.playbook == item.playbook && run.status == item.status
            checks.append(ScenarioCheck(location: scenario.location(item.line), expectation: want,
                                        failure: matches ? nil : "got \(run.id): \(run.playbook) \(run.status.rawValue)"))
        }
        for run in result.runs.dropFirst(expected.count) {
            checks.append(ScenarioCheck(location: scenario.location(line), expectation: "runs: \(expected.count) run(s)",
                                        failure: "\(run.id) (\(run.playbook), \(run.status.rawValue)) also started"))
        }
        return checks
    }

    /// Each listed notification, in order, at exactly its offset, containing its text.
    private func checkNotifications(_ expected: [ScenarioLine]) -> [ScenarioCheck] {
        let sent = result.notifications.map { (offset: $0.entry.offsetSeconds, message: ScenarioLine.normalized($0.message)) }
        var next = 0
        var checks: [ScenarioCheck] = []
        for item in expected {
            let seconds = Int(item.offset.components.seconds)
            let found = sent[next...].firstIndex { $0.offset == seconds && $0.message.contains(item.text) }
            var failure: String?
            if let found {
                next = found + 1
            } else {
                let there = sent.filter { $0.offset == seconds }.map { "\"\($0.message)\"" }
                failure = there.isEmpty
                    ? "nothing was sent at +\(item.offset.playbookText)"
                    : "no message at +\(item.offset.playbookText) (after the previous match) contains it; sent then: " + there.joined(separator: "; ")
            }
            checks.append(ScenarioCheck(location: scenario.location(item.line), expectation: "notification \"\(item)\"", failure: failure))
        }
        return checks
    }

    /// Index pairs of a longest common subsequence of `lhs` and `rhs`.
    static func commonSubsequence<T>(_ lhs: [T], _ rhs: [T], _ same: (T, T) -> Bool) -> [(Int, Int)] {
        let rows = lhs.count + 1
        let columns = rhs.count + 1
        var lengths = [Int](repeating: 0, count: rows * columns)
        for i in stride(from: lhs.count - 1, through: 0, by: -1) {
            for j in stride(from: rhs.count - 1, through: 0, by: -1) {
                lengths[i * columns + j] = same(lhs[i], rhs[j])
                    ? lengths[(i + 1) * columns + j + 1] + 1
                    : max(lengths[(i + 1) * columns + j], lengths[i * columns + j + 1])
            }
        }
        var pairs: [(Int, Int)] = []
        var (i, j) = (0, 0)
        while i < lhs.count, j < rhs.count {
            if same(lhs[i], rhs[j]) {
                pairs.append((i, j))
                i += 1
                j += 1
            } else if lengths[(i + 1) * columns + j] >= lengths[i * columns + j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return pairs
    }
}
