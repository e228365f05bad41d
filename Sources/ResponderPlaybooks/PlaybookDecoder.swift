import ResponderCore

/// Reads one item of a file's `playbooks:` list.
struct PlaybookDecoder {
    /// A playbook as read: its name and target uses even when the rest is broken.
    struct Decoded {
        /// The name, when one was given.
        var name: String?
        /// Line of the name (or of the item when it has none).
        var nameLine: Int
        /// Where the item starts.
        var location: FileLocation
        /// Targets it uses, checked once every file is read.
        var references: [TargetReference]
        /// The playbook, nil when it has problems.
        var playbook: Playbook?
    }

    /// The file being read.
    let file: String
    /// Where problems go.
    let log: ProblemLog

    private static let keys = ["name", "kind", "description", "match", "actions", "step_down", "gates", "event", "schedule", "cooldown",
                               "cleanup", "dedup_window", "missed_deadline", "page", "dry_run", "limits"]

    /// Decodes `node`, reporting every problem found in it.
    func decode(_ node: YAMLNode) -> Decoded {
        let location = FileLocation(file: file, line: node.line)
        let before = log.count
        guard let fields = Fields(node, path: "", what: "playbook", allowed: Self.keys, file: file, log: log) else {
            return Decoded(name: nil, nameLine: node.line, location: location, references: [], playbook: nil)
        }
        let name = fields.string("name", required: true)
        let nameLine = fields.entry("name")?.value.line ?? node.line
        if let name, !Syntax.isName(name) {
            log.add(file, nameLine, "playbook name \"\(name)\" must be lower-case letters, digits and '-' (\(Syntax.namePattern))")
        }
        let kind = fields.choice("kind", Playbook.Kind.self, required: true)
        let description = fields.string("description")
        let match = decodeMatch(fields)
        var actionDecoder = ActionDecoder(file: file, log: log)
        var actions: [Action] = []
        var undo: [Playbook.Undo] = []
        if let list = fields.node("actions", required: true) {
            if case .sequence(let items) = list.value {
                for item in items {
                    guard let action = actionDecoder.decode(item) else { continue }
                    if let undone = actionDecoder.takeUndo() { undo.append(Playbook.Undo(undoes: actions.count, action: undone)) }
                    actions.append(action)
                }
            } else {
                log.add(file, list.line, "actions must be a list (use [] for none), not \(list.kindDescription)")
            }
        }
        undo += decodeCleanup(fields, decoder: &actionDecoder)
        var references = actionDecoder.references
        let ladder = decodeLadder(fields, references: &references)
        var gates = decodeGates(fields, kind: kind)
        if !gates.checks.isEmpty, ladder == nil, fields.has("gates") {
            log.add(file, fields.lineOf("gates"), "gates.checks gate the step_down ladder's steps; this playbook has no step_down")
            gates.checks = []
        }
        let event = decodeEvent(fields, kind: kind)
        let schedule = decodeSchedule(fields, kind: kind)
        let cooldown = fields.boundedDuration("cooldown") ?? .zero
        let dedupWindow = fields.boundedDuration("dedup_window") ?? .seconds(300)
        let missed = fields.choice("missed_deadline", Playbook.MissedDeadlinePolicy.self) ?? .fire
        let page = fields.bool("page")
        let dryRun = fields.bool("dry_run") ?? false
        let limits = LimitsDecoder.decode(fields)
        guard log.count == before, let name, let kind, let match else {
            return Decoded(name: name, nameLine: nameLine, location: location, references: references, playbook: nil)
        }
        var playbook = Playbook(
            name: name, kind: kind, description: description, match: match, actions: actions, ladder: ladder, gates: gates,
            event: event, schedule: schedule, cooldown: cooldown, dedupWindow: dedupWindow, missedDeadline: missed, page: page, dryRun: dryRun,
            location: location)
        playbook.undo = undo
        playbook.limits = limits
        return Decoded(name: name, nameLine: nameLine, location: location, references: references, playbook: playbook)
    }

    private func decodeMatch(_ fields: Fields) -> Playbook.Match? {
        guard let match = fields.mapping("match", allowed: ["sources", "matchers"], required: true) else { return nil }
        var sources: [AlertSource] = []
        if let node = match.node("sources") {
            if case .sequence(let items) = node.value {
                for item in items {
                    // `event` alerts name their playbook and skip matching, so it is not a source to match on.
                    if let text = item.scalarText, let source = AlertSource(rawValue: text), source != .event {
                        sources.append(source)
                    } else {
                        log.add(file, item.line, "match.sources items must be one of "
                        + AlertSource.allCases.filter { $0 != .event }.map(\.rawValue).joined(separator: ", ")
                        + (item.scalarText.map { " (not \"\($0)\")" } ?? ""))
                    }
                }
            } else {
                log.add(file, node.line, "match.sources must be a list such as [alertmanager, cloudwatch]")
            }
        }
        guard let texts = match.strings("matchers", required: true) else { return nil }
        if texts.isEmpty {
            log.add(file, match.lineOf("matchers"),
                    "match.matchers needs at least one matcher such as alertname=\"HighCPU\"")
        }
        var matchers: [AlertMatcher] = []
        for text in texts {
            do {
                matchers.append(try AlertMatcher.parse(text.text))
            } catch {
                log.add(file, text.line, "match.matchers: \(error)")
            }
        }
        return Playbook.Match(sources: sources, matchers: matchers)
    }

    private func decodeLadder(_ fields: Fields, references: inout [TargetReference]) -> Playbook.Ladder? {
        guard let ladder = fields.mapping("step_down", allowed: ["hold", "every", "levels", "restore"]) else { return nil }
        let hold = ladder.boundedDuration("hold") ?? .zero
        let every = ladder.boundedDuration("every", required: true)
        if let every, every <= .zero {
            log.add(file, ladder.lineOf("every"), "step_down.every must be more than 0s")
        }
        let restore = ladder.bool("restore") ?? false
        var levels: [(target: String, values: [Playbook.LadderLevel])] = []
        if let node = ladder.node("levels", required: true) {
            guard case .mapping(let entries) = node.value, !entries.isEmpty else {
                log.add(file, node.line, "step_down.levels must map targets to lists of replica counts, such as {api: [5, 2]}")
                return nil
            }
            for entry in entries {
                let location = FileLocation(file: file, line: entry.keyLine)
                references.append(TargetReference(target: entry.key, use: .ladder, location: location))
                levels.append((entry.key, decodeLevels(entry)))
            }
        }
        return every.map { Playbook.Ladder(hold: hold, every: $0, levels: levels, restore: restore) }
    }

    private func decodeLevels(_ entry: YAMLEntry) -> [Playbook.LadderLevel] {
        let name = "step_down.levels.\(entry.key)"
        guard case .sequence(let items) = entry.value.value, !items.isEmpty else {
            log.add(file, entry.value.line, "\(name) must be a non-empty list of replica counts (whole numbers ≥ 0 or floor)")
            return []
        }
        guard items.count <= Limits.maxLadderLevels else {
            log.add(file, entry.value.line, "\(name) has \(Limits.grouped(items.count)) levels; a ladder has at most "
                + "\(Limits.grouped(Limits.maxLadderLevels)) per target")
            return []
        }
        return items.compactMap { item in
            switch Fields.int(item, in: Limits.replicas) {
            case .number(let count):
                return .replicas(count)
            case .outside(let text):
                log.add(file, item.line, "\(name) items must be replica counts from \(Limits.text(Limits.replicas)) or floor (not \(text))")
            case .notANumber:
                if item.plainText == "floor" { return .floor }
                log.add(file, item.line, "\(name) items must be whole numbers from \(Limits.text(Limits.replicas)) or floor")
            }
            return nil
        }
    }

    private func decodeGates(_ fields: Fields, kind: Playbook.Kind?) -> Playbook.Gates {
        var gates = Playbook.Gates()
        let allowed = ["on_refire", "on_resolve", "require_ack", "respect_autoscaler", "check", "checks"]
        guard let map = fields.mapping("gates", allowed: allowed) else {
            return gates
        }
        gates.checks = LoadCheckDecoder(file: file, log: log).decode(map)
        gates.onRefire = map.choice("on_refire", Playbook.RefirePolicy.self) ?? gates.onRefire
        if let entry = map.entry("on_resolve"), let kind, kind != .scaleDown {
            log.add(file, entry.keyLine, "gates.on_resolve only applies to scale-down playbooks; this one is \(kind.rawValue)")
        } else {
            gates.onResolve = map.choice("on_resolve", Playbook.ResolvePolicy.self) ?? gates.onResolve
        }
        gates.requireAck = map.bool("require_ack") ?? gates.requireAck
        gates.respectAutoscaler = map.bool("respect_autoscaler") ?? gates.respectAutoscaler
        return gates
    }

    /// `cleanup:`: http and command actions carried out when a run ends, whatever happened (after the undo steps).
    private func decodeCleanup(_ fields: Fields, decoder: inout ActionDecoder) -> [Playbook.Undo] {
        guard let list = fields.node("cleanup") else { return [] }
        guard case .sequence(let items) = list.value else {
            log.add(file, list.line, "cleanup must be a list of http or command actions, not \(list.kindDescription)")
            return []
        }
        return items.compactMap { item in
            decoder.decodeUndo(item, path: "cleanup").map { Playbook.Undo(undoes: nil, action: $0) }
        }
    }

    private func decodeEvent(_ fields: Fields, kind: Playbook.Kind?) -> Playbook.EventTiming? {
        if let entry = fields.entry("event"), let kind, kind != .preEvent {
            log.add(file, entry.keyLine, "event only applies to pre-event playbooks; this one is \(kind.rawValue)")
            return nil
        }
        guard kind == .preEvent else { return nil }
        guard let map = fields.mapping("event", allowed: ["lead", "hold", "overlap"]) else {
            return Playbook.EventTiming(lead: .zero, hold: .zero)
        }
        return Playbook.EventTiming(lead: map.boundedDuration("lead") ?? .zero, hold: map.boundedDuration("hold") ?? .zero,
                                    overlap: map.choice("overlap", Playbook.OverlapPolicy.self) ?? .refuse)
    }
}
