import ResponderCore

/// Reads a `command:` action: argv never goes through a shell, and alert values reach it only through `env` or
/// through `params` validated against a pattern.
struct CommandActionDecoder {
    /// The file being read.
    let file: String
    /// Where problems go.
    let log: ProblemLog
    /// Checks the `${...}` templates of a string, reporting unknown ones.
    let templates: (_ name: String, _ text: String, _ line: Int) -> Bool

    /// Decodes the action; problems are reported, the caller drops the action when any was.
    func decode(_ node: YAMLNode) -> Action? {
        guard let fields = Fields(node, path: "command", allowed: ["argv", "env", "params", "timeout", "undo", "dry_run"], file: file, log: log)
        else { return nil }
        let params = parameters(fields)
        let argv = fields.strings("argv", required: true) ?? []
        if fields.has("argv"), argv.first.map({ $0.text.isEmpty }) ?? true {
            log.add(file, argv.first?.line ?? fields.lineOf("argv"), "command.argv must start with the program to run")
        }
        for (index, item) in argv.enumerated() {
            checkPlaceholders(item, index: index, declared: params)
        }
        var env: [String: String] = [:]
        for pair in fields.stringMap("env") ?? [] {
            if !Syntax.isIdentifier(pair.key) {
                log.add(file, pair.line, "command.env: \"\(pair.key)\" is not an environment variable name (\(Syntax.identifierPattern))")
            }
            env[pair.key] = pair.value ?? ""
            _ = templates("command.env.\(pair.key)", pair.value ?? "", pair.line)
        }
        let timeout = fields.timeout("timeout") ?? .seconds(60)
        var call = Action.CommandCall(argv: argv.map(\.text), env: env, params: params ?? [:], timeout: timeout)
        call.dryRun = fields.bool("dry_run")
        return .command(call)
    }

    private func checkPlaceholders(
        _ item: (text: String, line: Int), index: Int, declared: [String: Action.CommandCall.Parameter]?
    ) {
        for brace in Syntax.braces(in: item.text) {
            if brace.dollar {
                log.add(file, item.line,
                        "command.argv cannot use ${...} templates; pass alert values through params ({name}) or env")
            } else if index == 0 {
                log.add(file, item.line, "command.argv[0] (the program) cannot be a placeholder")
            } else if brace.content == "replicas" {
                log.add(file, item.line,
                        "{replicas} is only replaced in a target's command.set; declare a param to use an alert value")
            } else if let declared, declared[brace.content] == nil {
                log.add(file, item.line, "command.argv uses {\(brace.content)}, which is not declared in command.params")
            }
        }
    }

    /// The `params:` mapping; nil when it is broken (so placeholders are not reported as undeclared as well).
    private func parameters(_ fields: Fields) -> [String: Action.CommandCall.Parameter]? {
        guard let node = fields.node("params") else { return [:] }
        guard case .mapping(let entries) = node.value else {
            log.add(file, node.line,
                    "command.params must be a mapping of names to {from, pattern}, not \(node.kindDescription)")
            return nil
        }
        var out: [String: Action.CommandCall.Parameter] = [:]
        for entry in entries {
            if !Syntax.isIdentifier(entry.key) {
                log.add(file, entry.keyLine, "command.params: \"\(entry.key)\" is not a parameter name (\(Syntax.identifierPattern))")
            }
            let path = "command.params.\(entry.key)"
            guard let param = Fields(entry.value, path: path, allowed: ["from", "pattern"], file: file, log: log) else { continue }
            let from = param.string("from", required: true)
            if let from, !Syntax.isAlertField(from) {
                log.add(file, param.lineOf("from"), "\(param.name("from")) must be labels.NAME or annotations.NAME")
            }
            let pattern = param.string("pattern", required: true)
            if let pattern, pattern != "k8s-name" {
                do {
                    _ = try Regex(pattern)
                } catch {
                    log.add(file, param.lineOf("pattern"),
                            "\(param.name("pattern")) is not a valid regular expression (or k8s-name): \(error)")
                }
            }
            // Declared even when broken, so its placeholders are not also reported as undeclared.
            out[entry.key] = Action.CommandCall.Parameter(from: from ?? "", pattern: pattern ?? "")
        }
        return out
    }
}
