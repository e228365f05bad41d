/// What a scenario must end with. Every part is optional; a part that is given is checked strictly.
public struct ScenarioExpectations: Sendable, Equatable {
    /// Line of `expect:`.
    public var line: Int
    /// Replica counts at `until`, for the targets listed (others are not checked).
    public var finalReplicas: [Scenario.Count]
    /// Every step executed, in order: the complete list (nil: not checked; empty: no step may run).
    public var actions: [ScenarioLine]?
    /// Line of `actions:`.
    public var actionsLine: Int
    /// Every run started, in start order, with its status at `until` (nil: not checked).
    public var runs: [ExpectedRun]?
    /// Line of `runs:`.
    public var runsLine: Int
    /// Messages that must have been sent, in order, each at its offset (others may come in between).
    public var notifications: [ScenarioLine]?
    /// Line of `notifications:`.
    public var notificationsLine: Int

    /// Creates expectations.
    public init(line: Int, finalReplicas: [Scenario.Count] = [], actions: [ScenarioLine]? = nil, actionsLine: Int = 0,
                runs: [ExpectedRun]? = nil, runsLine: Int = 0, notifications: [ScenarioLine]? = nil, notificationsLine: Int = 0) {
        self.line = line
        self.finalReplicas = finalReplicas
        self.actions = actions
        self.actionsLine = actionsLine
        self.runs = runs
        self.runsLine = runsLine
        self.notifications = notifications
        self.notificationsLine = notificationsLine
    }

    /// A run that must have started, and how it must stand at `until`.
    public struct ExpectedRun: Sendable, Equatable {
        /// Playbook it carries out.
        public var playbook: String
        /// Status at `until`.
        public var status: RunStatus
        /// Line in the scenario file.
        public var line: Int

        /// Creates an expected run.
        public init(playbook: String, status: RunStatus, line: Int) {
            self.playbook = playbook
            self.status = status
            self.line = line
        }
    }
}

extension Scenario {
    /// What a scenario must end with.
    public typealias Expectations = ScenarioExpectations
}

/// `+OFFSET text`: an expected step (`+1h run-1 scale api 10 -> 5`) or notification (`+1h22m cooling down`). The
/// offset is compared as a duration (`+60m` is `+1h`), the text with runs of blanks read as one space.
public struct ScenarioLine: Sendable, Equatable, CustomStringConvertible {
    /// Offset from the scenario's start.
    public var offset: Duration
    /// The rest, blanks normalized.
    public var text: String
    /// Line in the scenario file.
    public var line: Int

    /// Creates a line from its parts.
    public init(offset: Duration, text: String, line: Int) {
        self.offset = offset
        self.text = Self.normalized(text)
        self.line = line
    }

    /// Why a line could not be read.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong.
        public var description: String
    }

    /// Reads `+OFFSET text` (the `+` may be left out).
    public init(parsing source: String, line: Int) throws(ParseError) {
        let words = source.split(whereSeparator: \.isWhitespace)
        guard let first = words.first, words.count >= 2 else {
            throw ParseError(description: "\"\(source)\" must be \"+OFFSET text\", e.g. \"+1h run-1 scale api 10 -> 5\"")
        }
        let token = first.hasPrefix("+") ? String(first.dropFirst()) : String(first)
        do {
            offset = try Duration.parsePlaybook(token)
        } catch {
            throw ParseError(description: "\"\(source)\" must start with an offset such as +0s or +1h15m: \(error)")
        }
        text = words.dropFirst().joined(separator: " ")
        self.line = line
    }

    /// `+1h15m text`.
    public var description: String { Self.format(offset: offset, text: text) }

    /// `+1h15m text`, the form lines are printed and expected in.
    public static func format(offset: Duration, text: String) -> String {
        "+\(offset.playbookText) \(text)"
    }

    /// `text` with runs of blanks read as one space, trimmed.
    public static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
