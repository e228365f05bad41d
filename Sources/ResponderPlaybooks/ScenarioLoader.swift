import Foundation
import ResponderCore

/// Reads scenario files (`Playbooks/scenarios/*.yaml`) as strictly as playbook files: unknown keys, wrong types,
/// missing keys, anchors and aliases are `file:line: message` problems, all reported at once. Alert files a scenario
/// names are read relative to the scenario's folder with ``AlertFileReader``.
public enum ScenarioLoader {
    /// Largest alert file read (the webhook bodies and alarm messages of `samples/alerts` are a few KiB).
    static let maxAlertFileBytes = 1 << 20

    /// Reads the scenario at `path`; problems name the file as `path`.
    public static func load(path: String) -> Result<Scenario, PlaybookProblems> {
        func failure(_ message: String) -> Result<Scenario, PlaybookProblems> {
            .failure(PlaybookProblems([PlaybookProblem(location: FileLocation(file: path, line: 0), message: message)]))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= YAMLReader.maxBytes else { return failure("the file is larger than \(YAMLReader.maxBytes / 1024) KiB") }
        guard let data = FileManager.default.contents(atPath: path) else { return failure("cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { return failure("the file is not UTF-8 text") }
        return load(text: text, file: path, directory: (path as NSString).deletingLastPathComponent)
    }

    /// Reads scenario `text`; problems name it `file`, and alert files are read relative to `directory`.
    public static func load(text: String, file: String, directory: String) -> Result<Scenario, PlaybookProblems> {
        let log = ProblemLog()
        var scenario: Scenario?
        do {
            if let root = try YAMLReader.read(text) {
                scenario = ScenarioDecoder(file: file, directory: directory, log: log).decode(root)
            } else {
                log.add(file, 0, "the file is empty: a scenario needs name, start, until and events")
            }
        } catch {
            log.add(file, error.line, error.message.replacingOccurrences(of: "in playbooks", with: "in scenario files"))
        }
        guard log.problems.isEmpty, let scenario else {
            let sorted = log.problems.enumerated().sorted { ($0.element.location.line, $0.offset) < ($1.element.location.line, $1.offset) }
            return .failure(PlaybookProblems(sorted.map(\.element)))
        }
        return .success(scenario)
    }
}

/// Decodes one scenario file's tree, reporting every problem in it.
struct ScenarioDecoder {
    /// The file being read, for locations.
    let file: String
    /// Folder alert files are relative to.
    let directory: String
    /// Where problems go.
    let log: ProblemLog

    private static let keys = ["name", "description", "start", "until", "replicas", "autoscaler_desired", "schedules", "events",
                               "expect", "metrics", "limits"]
    private static let alertKeys = ["file", "source", "alertname", "labels", "annotations", "fingerprint"]
    /// What an item of `events:` does: exactly one of these.
    private static let eventKinds = ["fire", "resolve", "command", "schedule", "move_event", "cancel_event", "pause", "unpause"]

    /// The scenario, or nil when it has problems.
    func decode(_ root: YAMLNode) -> Scenario? {
        let before = log.count
        guard let top = Fields(root, path: "", what: "a scenario file", allowed: Self.keys, file: file, log: log) else { return nil }
        let name = top.string("name", required: true)
        if let name, !Syntax.isName(name) {
            top.problem(top.lineOf("name"), "name \"\(name)\" must be lower-case letters, digits and '-' (\(Syntax.namePattern))")
        }
        let description = top.string("description")
        var start: Date?
        if let text = top.string("start", required: true) {
            start = RFC3339.parseAccepted(text)
            if start == nil {
                top.problem(top.lineOf("start"), "start must be an RFC 3339 time \(RFC3339.acceptedYears) such as "
                    + "2026-03-02T14:05:00Z (not \"\(text)\")")
            }
        }
        let until = top.boundedDuration("until", required: true)
        if until == .zero {
            top.problem(top.lineOf("until"), "until must be longer than 0s")
        }
        let replicas = counts(top, "replicas")
        let desired = counts(top, "autoscaler_desired")
        let schedules = top.strings("schedules")?.map(\.text)
        for name in schedules ?? [] where !Syntax.isName(name) {
            top.problem(top.lineOf("schedules"), "schedules: \"\(name)\" is not a playbook name (\(Syntax.namePattern))")
        }
        let events = decodeEvents(top, until: until)
        let expect = decodeExpectations(top)
        let metrics = decodeMetrics(top, until: until)
        let limits = LimitsDecoder.decode(top)
        guard log.count == before, let name, let start, let until else { return nil }
        var scenario = Scenario(file: file, name: name, description: description, start: start, until: until, replicas: replicas,
                                autoscalerDesired: desired, schedules: schedules, schedulesLine: top.lineOf("schedules"), events: events,
                                expect: expect)
        scenario.metrics = metrics
        scenario.limits = limits
        return scenario
    }

    /// A mapping of target names to replica counts (``Limits/replicas``).
    func counts(_ fields: Fields, _ key: String) -> [Scenario.Count] {
        guard let node = fields.node(key) else { return [] }
        guard case .mapping(let entries) = node.value else {
            fields.problem(node.line, "\(fields.name(key)) must be a mapping of target names to replica counts, not \(node.kindDescription)")
            return []
        }
        var out: [Scenario.Count] = []
        for entry in entries {
            if !Syntax.isName(entry.key) {
                fields.problem(entry.keyLine, "\(fields.name(key)): \"\(entry.key)\" is not a target name (\(Syntax.namePattern))")
            }
            guard case .number(let value) = Fields.int(entry.value, in: Limits.replicas) else {
                fields.problem(entry.value.line, "\(fields.name(key)).\(entry.key) must be a whole number of replicas from "
                    + "\(Limits.text(Limits.replicas))" + (entry.value.plainText.map { " (not \($0))" } ?? ""))
                continue
            }
            out.append(Scenario.Count(target: entry.key, value: value, line: entry.keyLine))
        }
        return out
    }

    private func decodeEvents(_ top: Fields, until: Duration?) -> [Scenario.Event] {
        guard let node = top.node("events", required: true) else { return [] }
        guard case .sequence(let items) = node.value else {
            top.problem(node.line, "events must be a list, not \(node.kindDescription)")
            return []
        }
        if items.isEmpty { top.problem(node.line, "events is empty: a scenario needs at least one event") }
        var events: [Scenario.Event] = []
        var previous: Duration?
        var names = ScheduledNames()
        for (index, item) in items.enumerated() {
            let path = "events[\(index)]"
            let allowed = ["at"] + Self.eventKinds + ["refused"]
            guard let fields = Fields(item, path: path, allowed: allowed, file: file, log: log) else {
                continue
            }
            let at = fields.boundedDuration("at", required: true)
            if let at, let previous, at < previous {
                fields.problem(fields.lineOf("at"), "\(path).at (\(at.playbookText)) is earlier than the event before it "
                    + "(\(previous.playbookText)): list events in time order")
            }
            if let at, let until, at > until {
                fields.problem(fields.lineOf("at"), "\(path).at (\(at.playbookText)) is after until (\(until.playbookText)): it would never happen")
            }
            previous = at ?? previous
            let present = Self.eventKinds.filter(fields.has)
            guard present.count == 1 else {
                let found = present.isEmpty ? "" : " (found \(present.joined(separator: " and ")))"
                fields.problem(item.line, "\(path) needs exactly one of \(Self.eventKinds.joined(separator: ", "))\(found)")
                continue
            }
            let refused = expectedRefusal(fields, kind: present[0])
            let action: Scenario.Event.Action?
            switch present[0] {
            case "fire": action = delivery(fields, "fire", status: .firing).map(Scenario.Event.Action.alerts)
            case "resolve": action = delivery(fields, "resolve", status: .resolved).map(Scenario.Event.Action.alerts)
            case "command": action = command(fields).map(Scenario.Event.Action.command)
            case "schedule": action = scheduling(fields, refused: refused, names: &names).map(Scenario.Event.Action.schedule)
            case "move_event": action = move(fields, refused: refused, names: names).map(Scenario.Event.Action.moveEvent)
            case "pause": action = pause(fields).map(Scenario.Event.Action.pause)
            case "unpause": action = unpause(fields)
            default: action = cancellation(fields, refused: refused, names: names).map(Scenario.Event.Action.cancelEvent)
            }
            if let at, let action {
                events.append(Scenario.Event(at: at, action: action, line: item.line))
            }
        }
        return events
    }

    /// `fire:` or `resolve:`: a sample file, or an alert written inline.
    private func delivery(_ fields: Fields, _ key: String, status: AlertStatus) -> Scenario.AlertDelivery? {
        guard let alert = fields.mapping(key, allowed: Self.alertKeys) else { return nil }
        let inline = Self.alertKeys.dropFirst().filter(alert.has)
        if alert.has("file") {
            guard inline.isEmpty else {
                alert.problem(alert.line, "\(alert.path) gives file and \(inline.joined(separator: ", ")): use either a file or an inline alert")
                return nil
            }
            guard let path = alert.string("file") else { return nil }
            return readAlerts(path, line: alert.lineOf("file"), name: alert.name("file")).map {
                Scenario.AlertDelivery(status: status, alerts: $0, origin: path)
            }
        }
        guard !inline.isEmpty else {
            alert.problem(alert.line, "\(alert.path) needs file (a sample alert) or an inline alert (alertname, labels, annotations, source, fingerprint)")
            return nil
        }
        let before = log.count
        let alertname = alert.string("alertname", required: true)
        let labels = alert.stringMap("labels") ?? []
        let annotations = alert.stringMap("annotations") ?? []
        for label in labels {
            if label.key == "alertname" {
                alert.problem(label.line, "\(alert.name("labels")).alertname: give the name once, as \(alert.name("alertname"))")
            } else if !Syntax.isIdentifier(label.key) {
                alert.problem(label.line, "\(alert.name("labels")): \"\(label.key)\" is not a label name (\(Syntax.identifierPattern))")
            }
        }
        // `event` alerts come from scheduled events only (``EventAlert``), never from a scenario's fire.
        let source = alert.choice("source", AlertSource.self, among: [.alertmanager, .cloudwatch]) ?? .alertmanager
        let fingerprint = alert.string("fingerprint")
        guard log.count == before, let alertname else { return nil }
        let made = Scenario.inlineAlert(
            source: source, alertname: alertname,
            labels: Dictionary(labels.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { _, last in last }),
            annotations: Dictionary(annotations.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { _, last in last }),
            fingerprint: fingerprint
        )
        return Scenario.AlertDelivery(status: status, alerts: [made], origin: "inline")
    }

    /// The alerts of a sample file, relative to the scenario's folder.
    private func readAlerts(_ path: String, line: Int, name: String) -> [NormalizedAlert]? {
        let resolved = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        let size = (try? FileManager.default.attributesOfItem(atPath: resolved)[.size] as? Int) ?? 0
        guard size <= ScenarioLoader.maxAlertFileBytes else {
            log.add(file, line, "\(name): \(path) is larger than \(ScenarioLoader.maxAlertFileBytes / 1024) KiB")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            log.add(file, line, "\(name): cannot read \(path) (looked for \(resolved))")
            return nil
        }
        do {
            let alerts = try AlertFileReader.alerts(in: Array(data))
            guard !alerts.isEmpty else {
                log.add(file, line, "\(name): \(path) holds no alerts")
                return nil
            }
            return alerts
        } catch {
            log.add(file, line, "\(name): \(path): \(error.message)")
            return nil
        }
    }

    private func command(_ fields: Fields) -> Scenario.PersonCommand? {
        guard let command = fields.mapping("command", allowed: ["action", "playbook", "by"]) else { return nil }
        let action = command.choice("action", RunCommand.self, required: true)
        let playbook = command.string("playbook", required: true)
        if let playbook, !Syntax.isName(playbook) {
            command.problem(command.lineOf("playbook"), "\(command.name("playbook")) \"\(playbook)\" is not a playbook name (\(Syntax.namePattern))")
        }
        let actor = command.string("by") ?? "simulator"
        guard let action, let playbook else { return nil }
        return Scenario.PersonCommand(command: action, playbook: playbook, actor: actor)
    }
}
