import ResponderCore

/// Reads the items of a playbook's `actions:` list.
struct ActionDecoder {
    /// The file being read.
    let file: String
    /// Where problems go.
    let log: ProblemLog
    /// Target uses found so far, checked once every file is read.
    private(set) var references: [TargetReference] = []
    /// The `undo:` of the action decoded last, until taken.
    private var undo: Action?

    private static let kinds = ["scale", "autoscaler", "env", "annotate", "http", "command", "notify"]

    /// Creates a decoder for one file.
    init(file: String, log: ProblemLog) {
        self.file = file
        self.log = log
    }

    /// The `undo:` of the action just decoded, if it had one (taken once).
    mutating func takeUndo() -> Action? {
        defer { undo = nil }
        return undo
    }

    /// Decodes an undo or cleanup action: an `http` or `command` action without an `undo:` of its own.
    mutating func decodeUndo(_ node: YAMLNode, path: String) -> Action? {
        guard case .mapping(let entries) = node.value, entries.count == 1, let entry = entries.first,
              entry.key == "http" || entry.key == "command" else {
            log.add(file, node.line, "\(path) must be an http or command action (one key: http or command)")
            return nil
        }
        if case .mapping(let inner) = entry.value.value, let nested = inner.first(where: { $0.key == "undo" }) {
            log.add(file, nested.keyLine, "\(path): an undo action cannot have an undo of its own")
            return nil
        }
        let action = decode(node)
        undo = nil
        return action
    }

    /// Decodes one action, nil (with problems reported) when it is broken.
    mutating func decode(_ node: YAMLNode) -> Action? {
        undo = nil
        guard case .mapping(let entries) = node.value, entries.count == 1, let entry = entries.first else {
            let found: String
            if case .mapping(let entries) = node.value {
                found = entries.isEmpty ? "an empty mapping" : "the keys \(entries.map(\.key).joined(separator: ", "))"
            } else {
                found = node.kindDescription
            }
            let kinds = Self.kinds.joined(separator: ", ")
            log.add(file, node.line, "an action is a mapping with exactly one key, one of \(kinds); found \(found)")
            return nil
        }
        let kind = entry.key
        guard Self.kinds.contains(kind) else {
            log.add(file, entry.keyLine, "unknown action \"\(kind)\"; allowed: \(Self.kinds.joined(separator: ", "))")
            return nil
        }
        if kind == "notify" {
            guard let message = entry.value.scalarText, !message.isEmpty else {
                log.add(file, entry.value.line, "notify must be a message (a non-empty string)")
                return nil
            }
            return templated("notify", message, line: entry.value.line) ? .notify(message: message) : nil
        }
        let before = log.count
        let action: Action?
        switch kind {
        case "scale": action = scale(entry.value)
        case "autoscaler": action = autoscaler(entry.value)
        case "env": action = env(entry.value)
        case "annotate": action = annotate(entry.value)
        case "http": action = http(entry.value)
        default: action = command(entry.value)
        }
        if kind == "http" || kind == "command", case .mapping(let inner) = entry.value.value,
           let undoEntry = inner.first(where: { $0.key == "undo" }), !undoEntry.value.isNull {
            var undone = decodeUndo(undoEntry.value, path: "\(kind).undo")
            // The undo of a dry-run-only action is dry-run-only too: it undoes something that never happened.
            if action?.isDryRunOnly == true { undone = undone.map(Self.dryRunOnly) }
            if log.count == before { undo = undone }
        }
        return log.count == before ? action : nil
    }

    private static func dryRunOnly(_ action: Action) -> Action {
        switch action {
        case .http(var call):
            call.dryRun = true
            return .http(call)
        case .command(var call):
            call.dryRun = true
            return .command(call)
        default:
            return action
        }
    }

    private func fields(_ node: YAMLNode, _ kind: String, _ allowed: [String]) -> Fields? {
        Fields(node, path: kind, allowed: allowed, file: file, log: log)
    }

    /// Reads `target:` and records the use.
    private mutating func target(_ fields: Fields, use: TargetReference.Use) -> String? {
        guard let name = fields.string("target", required: true) else { return nil }
        let line = fields.lineOf("target")
        references.append(TargetReference(target: name, use: use, location: FileLocation(file: file, line: line)))
        return name
    }

    private mutating func scale(_ node: YAMLNode) -> Action? {
        guard let fields = fields(node, "scale", ["target", "to", "by", "factor"]) else { return nil }
        let target = target(fields, use: .scale)
        let given = ["to", "by", "factor"].filter(fields.has)
        guard given.count == 1, let key = given.first, let value = fields.node(key) else {
            log.add(file, given.count > 1 ? fields.entry(given[1])?.keyLine ?? fields.line : fields.line,
                    "scale needs exactly one of to, by, factor"
                        + (given.count > 1 ? " (found \(given.joined(separator: " and ")))" : ""))
            return nil
        }
        let change: Action.ScaleChange
        switch key {
        case "to":
            switch Fields.int(value, in: Limits.replicas) {
            case .number(let count):
                change = .to(count)
            case .outside(let text):
                log.add(file, value.line, "scale.to must be \(Limits.text(Limits.replicas)) replicas, max or floor (not \(text))")
                return nil
            case .notANumber:
                if value.plainText == "max" {
                    change = .toMax
                } else if value.plainText == "floor" {
                    change = .toFloor
                } else {
                    log.add(file, value.line, "scale.to must be a whole number from \(Limits.text(Limits.replicas)), max or floor")
                    return nil
                }
            }
        case "by":
            guard case .number(let delta) = Fields.int(value, in: Limits.scaleBy), delta != 0 else {
                log.add(file, value.line, "scale.by must be a non-zero whole number from \(Limits.text(Limits.scaleBy)), "
                    + "such as +2 or -1" + (value.plainText.map { " (not \($0))" } ?? ""))
                return nil
            }
            change = .by(delta)
        default:
            guard let text = value.plainText, let factor = Double(text), factor.isFinite, factor > 0,
                  factor <= Limits.maxFactor, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") })
            else {
                log.add(file, value.line, "scale.factor must be a number greater than 0 and at most "
                    + "\(Limits.grouped(Int(Limits.maxFactor))), such as 2 or 1.5" + (value.plainText.map { " (not \($0))" } ?? ""))
                return nil
            }
            change = .factor(factor)
        }
        return target.map { .scale(target: $0, change: change) }
    }

    private mutating func autoscaler(_ node: YAMLNode) -> Action? {
        guard let fields = fields(node, "autoscaler", ["target", "min", "max"]) else { return nil }
        let target = target(fields, use: .autoscaler)
        let min = fields.int("min", in: Limits.replicas)
        let max = fields.int("max", in: Limits.replicas)
        if !fields.has("min"), !fields.has("max") {
            log.add(file, fields.line, "autoscaler needs min, max or both")
        }
        if let min, let max, min > max {
            log.add(file, fields.lineOf("max"), "autoscaler.min (\(min)) must not be above autoscaler.max (\(max))")
        }
        return target.map { .autoscaler(target: $0, min: min, max: max) }
    }

    private mutating func env(_ node: YAMLNode) -> Action? {
        guard let fields = fields(node, "env", ["target", "set"]) else { return nil }
        let target = target(fields, use: .env)
        guard let pairs = nonEmptyMap(fields, "set") else { return nil }
        var set: [String: String] = [:]
        for pair in pairs {
            if !Syntax.isIdentifier(pair.key) {
                log.add(file, pair.line, "env.set: \"\(pair.key)\" is not an environment variable name (\(Syntax.identifierPattern))")
            }
            set[pair.key] = pair.value ?? ""
        }
        return target.map { .env(target: $0, set: set) }
    }

    private mutating func annotate(_ node: YAMLNode) -> Action? {
        guard let fields = fields(node, "annotate", ["target", "object", "set"]) else { return nil }
        let object = fields.choice("object", Action.AnnotatedObject.self) ?? .workload
        let target = target(fields, use: .annotate(object))
        guard let pairs = nonEmptyMap(fields, "set", nullable: true) else { return nil }
        var set: [String: String?] = [:]
        for pair in pairs {
            set[pair.key] = .some(pair.value)
        }
        return target.map { .annotate(target: $0, object: object, set: set) }
    }

    private func nonEmptyMap(_ fields: Fields, _ key: String, nullable: Bool = false) -> [Fields.Pair]? {
        guard let pairs = fields.stringMap(key, required: true, nullable: nullable) else { return nil }
        if pairs.isEmpty { log.add(file, fields.lineOf(key), "\(fields.name(key)) must set at least one value") }
        return pairs
    }

    private func http(_ node: YAMLNode) -> Action? {
        let keys = ["method", "url", "headers", "body", "json", "timeout", "expect_status", "undo", "dry_run"]
        guard let fields = fields(node, "http", keys) else { return nil }
        let method = fields.string("method") ?? "POST"
        if !HTTPRequestRenderer.methods.contains(method) {
            log.add(file, fields.lineOf("method"),
                    "http.method must be one of \(HTTPRequestRenderer.methods.joined(separator: ", ")) (not \"\(method)\")")
        }
        let url = fields.string("url", required: true)
        let urlLine = fields.lineOf("url")
        if let url, templated("http.url", url, line: urlLine) {
            for problem in URLTemplate.problems(url) { log.add(file, urlLine, "http.url \(problem)") }
        }
        var headers: [String: String] = [:]
        for pair in fields.stringMap("headers") ?? [] {
            headers[pair.key] = pair.value ?? ""
            for problem in HeaderTemplate.problems(name: pair.key, value: pair.value ?? "") {
                log.add(file, pair.line, "http.headers: \(problem)")
            }
            _ = templated("http.headers.\(pair.key)", pair.value ?? "", line: pair.line)
        }
        let body = fields.string("body")
        if let body, TemplatePiece.hasReference(body) {
            log.add(file, fields.lineOf("body"), HTTPRequestRenderer.bodyReferenceMessage)
        }
        var json: JSONTemplate?
        if let node = fields.node("json") {
            json = jsonTemplate(node, path: "http.json")
            if body != nil { log.add(file, node.line, "http takes body or json, not both") }
            for problem in json?.problems() ?? [] { log.add(file, node.line, problem) }
        }
        let timeout = positive(fields, "timeout") ?? .seconds(10)
        var expect = [200, 201, 202, 204]
        if let list = fields.node("expect_status") {
            expect = statuses(list)
        }
        let dryRun = fields.bool("dry_run")
        return url.map {
            var call = Action.HTTPCall(method: method, url: $0, headers: headers, body: body, json: json, timeout: timeout,
                                       expectStatus: expect)
            call.dryRun = dryRun
            return .http(call)
        }
    }

    /// `http.json` read as a JSON template: mappings are objects (keys in order), lists arrays, plain `true`, `false`,
    /// `null` and JSON numbers keep their type, every other scalar is a string whose `${...}` references are checked.
    private func jsonTemplate(_ node: YAMLNode, path: String) -> JSONTemplate {
        switch node.value {
        case .mapping(let entries):
            return .object(entries.map { JSONMember(key: $0.key, value: jsonTemplate($0.value, path: "\(path).\($0.key)")) })
        case .sequence(let items):
            return .array(items.enumerated().map { jsonTemplate($0.element, path: "\(path)[\($0.offset)]") })
        case .scalar(let text, let plain):
            if node.isNull { return .null }
            if plain, text == "true" || text == "false" { return .bool(text == "true") }
            if plain, JSONTemplate.isNumber(text) { return .number(text) }
            _ = templated(path, text, line: node.line)
            return .string(text)
        }
    }

    private func statuses(_ node: YAMLNode) -> [Int] {
        guard case .sequence(let items) = node.value, !items.isEmpty else {
            log.add(file, node.line, "http.expect_status must be a non-empty list of HTTP statuses such as [200, 204]")
            return []
        }
        return items.compactMap { item in
            guard let status = Fields.int(item), (100...599).contains(status) else {
                log.add(file, item.line, "http.expect_status items must be HTTP statuses (100 to 599)")
                return nil
            }
            return status
        }
    }

    /// A timeout: more than 0s, at most ``Limits/maxTimeout``.
    private func positive(_ fields: Fields, _ key: String) -> Duration? {
        fields.timeout(key)
    }

    /// Reports unknown `${...}` templates; true when there are none.
    func templated(_ name: String, _ text: String, line: Int) -> Bool {
        guard let problem = Syntax.templateProblem(in: text) else { return true }
        log.add(file, line, "\(name): \(problem)")
        return false
    }

    private func command(_ node: YAMLNode) -> Action? {
        CommandActionDecoder(file: file, log: log, templates: templated).decode(node)
    }
}
