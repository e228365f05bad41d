/// Builds the process of a `command` action: alert values reach argv only as parameters validated against their
/// pattern, and reach the environment as plain values (no shell ever parses them); NUL, which no argv or environment
/// can carry, is refused.
public enum CommandRenderer {
    /// Longest parameter value accepted whatever its pattern (253, the longest Kubernetes object name).
    public static let maxParameterLength = 253
    /// Longest environment value a step may set.
    public static let maxEnvironmentValueLength = 65_536
    /// Longest timeout of a command (the loader enforces the same bound).
    public static let maxTimeout = Duration.seconds(3_600)

    /// The process `call` starts with `values`; throws when it must not run.
    public static func render(_ call: Action.CommandCall, values: TemplateValues) throws(TemplateRefusal) -> PreparedCommand {
        guard let program = call.argv.first, !program.isEmpty else {
            throw .refused("command.argv has no program")
        }
        guard call.timeout > .zero, call.timeout <= maxTimeout else {
            throw .refused("command.timeout must be more than 0s and at most 1h")
        }
        var validated: [String: String] = [:]
        for (name, parameter) in call.params.sorted(by: { $0.key < $1.key }) {
            let value = try values.value(of: parameter.from)
            guard !value.isEmpty else {
                throw .refused("parameter \(name): the alert has no \(parameter.from) (or it is empty)")
            }
            guard value.utf8.count <= maxParameterLength, !value.utf8.contains(0),
                  let accepted = CommandParameterCheck.validated(value, pattern: parameter.pattern) else {
                throw .refused("parameter \(name) from \(parameter.from) refused by pattern \(parameter.pattern) "
                    + "(value \(escaped(value)))")
            }
            validated[name] = accepted
        }
        let argv = call.argv.map { substitute($0, values: validated) }
        var environment: [String: String] = [:]
        for (name, template) in call.env.sorted(by: { $0.key < $1.key }) {
            let value = try values.render(template)
            guard !value.utf8.contains(0) else {
                throw .refused("command.env.\(name): an alert value holds a NUL character, which no environment can carry")
            }
            guard value.utf8.count <= maxEnvironmentValueLength else {
                throw .refused("command.env.\(name) would be longer than \(maxEnvironmentValueLength) bytes")
            }
            environment[name] = value
        }
        return PreparedCommand(argv: argv, environment: environment, timeout: call.timeout)
    }

    /// Replaces each `{name}` of a validated parameter in one left-to-right pass: substituted text is never
    /// re-scanned, and placeholders of undeclared names stay as written.
    static func substitute(_ text: String, values: [String: String]) -> String {
        var result = ""
        var rest = text[...]
        while let start = rest.firstIndex(of: "{") {
            result += rest[..<start]
            let after = rest[rest.index(after: start)...]
            guard let end = after.firstIndex(of: "}") else {
                rest = rest[start...]
                break
            }
            let name = String(after[..<end])
            result += values[name] ?? String(rest[start...end])
            rest = after[after.index(after: end)...]
        }
        return result + rest
    }

    /// A value safe to put in a message: escaped and shortened.
    private static func escaped(_ value: String) -> String {
        let short = value.count > 64 ? String(value.prefix(64)) + "…(\(value.count) characters)" : value
        return short.debugDescription
    }
}
