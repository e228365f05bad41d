/// Checks, before a simulation, that a scenario only names targets and playbooks the set has (and, in `schedules:`,
/// playbooks with a recurring schedule) and only schedules events before its end: a scenario written for other
/// playbooks fails with its line rather than silently doing nothing.
enum ScenarioReferences {
    /// Every unknown name and late event, in file order.
    static func problems(in scenario: Scenario, playbooks: PlaybookSet) -> [ScenarioFailure] {
        var found: [(line: Int, message: String)] = []
        let targets = playbooks.targets.keys.sorted()
        let names = Set(playbooks.playbooks.map(\.name))
        func target(_ count: Scenario.Count, _ key: String) {
            if playbooks.targets[count.target] == nil {
                found.append((count.line, "\(key): no target named \(count.target) in the playbooks (targets: \(targets.joined(separator: ", ")))"))
            }
        }
        func playbook(_ name: String, line: Int, _ key: String) {
            if !names.contains(name) {
                found.append((line, "\(key): no playbook named \(name) in the playbooks"))
            }
        }
        for name in scenario.schedules ?? [] where playbooks.playbooks.first(where: { $0.name == name })?.schedule == nil {
            let scheduled = playbooks.playbooks.filter { $0.schedule != nil }.map(\.name)
            found.append((scenario.schedulesLine, "schedules: no playbook named \(name) has a schedule (playbooks with one: "
                + "\(scheduled.isEmpty ? "none" : scheduled.joined(separator: ", ")))"))
        }
        scenario.replicas.forEach { target($0, "replicas") }
        scenario.autoscalerDesired.forEach { target($0, "autoscaler_desired") }
        for event in scenario.events {
            if event.at > scenario.until {
                found.append((event.line, "at \(event.at.playbookText) is after until (\(scenario.until.playbookText)): it would never happen"))
            }
            if case .command(let command) = event.action {
                playbook(command.playbook, line: event.line, "command")
            }
            if case .pause(let order) = event.action, let name = order.target, playbooks.targets[name] == nil {
                found.append((event.line, "pause: no target named \(name) in the playbooks (targets: \(targets.joined(separator: ", ")))"))
            }
        }
        let checks = Set(playbooks.playbooks.flatMap(\.gates.checks).map(\.name))
        for series in scenario.metrics where !checks.contains(series.check) {
            found.append((series.line, "metrics: no load check named \"\(series.check)\" in the playbooks (checks: "
                + "\(checks.isEmpty ? "none" : checks.sorted().joined(separator: ", ")))"))
        }
        if let expect = scenario.expect {
            expect.finalReplicas.forEach { target($0, "expect.final_replicas") }
            for run in expect.runs ?? [] {
                playbook(run.playbook, line: run.line, "expect.runs")
            }
        }
        return found.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map { ScenarioFailure(location: scenario.location($0.element.line), message: $0.element.message) }
    }
}
