import ResponderCore

/// The `expect:` block of a scenario file.
extension ScenarioDecoder {
    private static let expectKeys = ["final_replicas", "actions", "runs", "notifications"]

    /// The expectations, nil when there is no `expect:` (or it has problems, which are logged).
    func decodeExpectations(_ top: Fields) -> ScenarioExpectations? {
        guard let expect = top.mapping("expect", allowed: Self.expectKeys) else { return nil }
        if !Self.expectKeys.contains(where: expect.has) {
            expect.problem(expect.line, "expect needs at least one of \(Self.expectKeys.joined(separator: ", "))")
        }
        let finals = counts(expect, "final_replicas")
        let actions = lines(expect, "actions")
        let notifications = lines(expect, "notifications")
        let runs = expectedRuns(expect)
        return ScenarioExpectations(
            line: expect.line, finalReplicas: finals, actions: actions, actionsLine: keyLine(expect, "actions"),
            runs: runs, runsLine: keyLine(expect, "runs"), notifications: notifications,
            notificationsLine: keyLine(expect, "notifications")
        )
    }

    /// A list of `+OFFSET text` strings.
    private func lines(_ expect: Fields, _ key: String) -> [ScenarioLine]? {
        guard expect.has(key), let items = expect.strings(key) else { return nil }
        var out: [ScenarioLine] = []
        for (index, item) in items.enumerated() {
            do {
                out.append(try ScenarioLine(parsing: item.text, line: item.line))
            } catch {
                expect.problem(item.line, "\(expect.name(key))[\(index)]: \(error)")
            }
        }
        return out
    }

    private func expectedRuns(_ expect: Fields) -> [ScenarioExpectations.ExpectedRun]? {
        guard let node = expect.node("runs") else { return nil }
        guard case .sequence(let items) = node.value else {
            expect.problem(node.line, "expect.runs must be a list of {playbook, status}, not \(node.kindDescription)")
            return nil
        }
        var out: [ScenarioExpectations.ExpectedRun] = []
        for (index, item) in items.enumerated() {
            guard let run = Fields(item, path: "expect.runs[\(index)]", allowed: ["playbook", "status"], file: file, log: log) else {
                continue
            }
            let playbook = run.string("playbook", required: true)
            let status = run.choice("status", RunStatus.self, required: true)
            if let playbook, let status {
                out.append(ScenarioExpectations.ExpectedRun(playbook: playbook, status: status, line: item.line))
            }
        }
        return out
    }

    /// Line of `key:` itself, or of the mapping when it is absent.
    private func keyLine(_ fields: Fields, _ key: String) -> Int {
        fields.entry(key)?.keyLine ?? fields.line
    }
}
