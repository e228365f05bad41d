/// The exact process a `command` step starts: argv with validated parameters substituted, and the environment it
/// adds. Rendered once by ``CommandRenderer``; shown by `plan`, `simulate` and the dry-run record, run by the live
/// executor.
public struct PreparedCommand: Sendable, Equatable {
    /// argv; the first element is the program.
    public var argv: [String]
    /// Variables added to the environment.
    public var environment: [String: String]
    /// Give up after this long.
    public var timeout: Duration

    /// Creates a command.
    public init(argv: [String], environment: [String: String], timeout: Duration) {
        self.argv = argv
        self.environment = environment
        self.timeout = timeout
    }

    /// argv as a JSON array, then the environment it adds as a JSON object (values of credential-like names hidden).
    public var display: String {
        var text = "["
        for (index, argument) in argv.enumerated() {
            if index > 0 { text += "," }
            JSONTemplate.writeString(argument, into: &text)
        }
        text += "]"
        guard !environment.isEmpty else { return text }
        text += " env {"
        for (index, (name, value)) in environment.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { text += "," }
            JSONTemplate.writeString(name, into: &text)
            text += ":"
            JSONTemplate.writeString(HeaderTemplate.isSensitive(name) ? "<redacted>" : value, into: &text)
        }
        return text + "}"
    }
}
