import ArgumentParser
import Foundation
import ResponderCore

/// `responder events`: known traffic events on the running server (its admin API).
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Schedule, list, show, move and cancel known traffic events on a running server.",
        subcommands: [Schedule.self, List.self, Show.self, Move.self, Cancel.self]
    )

    /// `responder events schedule`.
    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Schedule an event for a pre-event playbook.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The pre-event playbook.") var playbook: String
        @Option(help: "Start: RFC 3339 with an offset, or a local date-time (2026-12-18T18:00) with --tz.") var start: String
        @Option(help: "End, written like --start.") var end: String
        @Option(help: "IANA time zone of local times (Europe/Berlin).") var tz: String?
        @Option(help: "What people call it (default: the playbook's name).") var name: String?
        @Option(help: "A label for templates, NAME=VALUE (repeatable).") var label: [String] = []
        @Option(help: "An annotation for templates, NAME=VALUE (repeatable).") var annotation: [String] = []
        @Option(help: "Who schedules it (default: $USER).") var actor: String?

        func run() async throws {
            var body: [String: Any] = ["playbook": playbook, "name": name ?? playbook, "start": start, "end": end,
                                       "labels": try pairs(label, "--label"), "annotations": try pairs(annotation, "--annotation"),
                                       "actor": actor ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"]
            if let tz { body["time_zone"] = tz }
            let data = try await AdminClient(options: server).send(.POST, "/api/events", body: body)
            try EventsOutput.print(data, format: server.format, single: true)
        }
    }

    /// `responder events list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List events: upcoming (default), active, past or all.")
        @OptionGroup var server: ServerOptions
        @Option(help: "upcoming, active, past or all.") var when = "upcoming"

        func run() async throws {
            let data = try await AdminClient(options: server).send(.GET, "/api/events?when=\(Self.query(when))")
            try EventsOutput.print(data, format: server.format, single: false)
        }

        /// `text` percent-encoded as one path segment or query value (only RFC 3986's unreserved characters stay).
        static func query(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
        }

        private static let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    }

    /// `responder events show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one event, with its run once started.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The event id (evt-N).") var id: String

        func run() async throws {
            let data = try await AdminClient(options: server).send(.GET, "/api/events/\(List.query(id))")
            try EventsOutput.print(data, format: server.format, single: true)
        }
    }

    /// `responder events move`.
    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move the start and/or end of an event not started yet.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The event id (evt-N).") var id: String
        @Option(help: "New start.") var start: String?
        @Option(help: "New end.") var end: String?
        @Option(help: "IANA time zone of local times.") var tz: String?

        func validate() throws {
            if start == nil, end == nil { throw ValidationError("give --start, --end or both") }
        }

        func run() async throws {
            var body: [String: Any] = [:]
            if let start { body["start"] = start }
            if let end { body["end"] = end }
            if let tz { body["time_zone"] = tz }
            let data = try await AdminClient(options: server).send(.PATCH, "/api/events/\(List.query(id))", body: body)
            try EventsOutput.print(data, format: server.format, single: true)
        }
    }

    /// `responder events cancel`.
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an event: nothing runs, or its run is aborted once started.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The event id (evt-N).") var id: String
        @Option(help: "Who cancels it (default: $USER).") var actor: String?

        func run() async throws {
            let who = actor ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
            let data = try await AdminClient(options: server).send(.DELETE, "/api/events/\(List.query(id))?actor=\(List.query(who))")
            try EventsOutput.print(data, format: server.format, single: true)
        }
    }
}

/// `NAME=VALUE` options as a map; a pair without `=` is an error naming the option.
func pairs(_ items: [String], _ option: String) throws -> [String: String] {
    var map: [String: String] = [:]
    for item in items {
        guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
            throw ValidationError("\(option) \(item): write NAME=VALUE")
        }
        map[String(item[..<equals])] = String(item[item.index(after: equals)...])
    }
    return map
}

/// Prints events as a table a person reads, or the server's JSON as it came.
enum EventsOutput {
    static func print(_ data: Data, format: ServerOptions.OutputFormat, single: Bool) throws {
        if format == .json {
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let events = single ? [object] : (object["events"] as? [[String: Any]] ?? [])
        if events.isEmpty {
            Swift.print("no events")
            return
        }
        let header = ["ID", "STATUS", "PLAYBOOK", "NAME", "START", "END", "PREPARE AT", "RUN"]
        let rows = events.map { event -> [String] in
            let run = event["run"] as? [String: Any]
            return [event["id"], event["status"], event["playbook"], event["name"], event["start"], event["end"],
                    event["prepare_at"], run.map { "\($0["id"] ?? "-") \($0["status"] ?? "")" }]
                .map { value in TerminalText.printable(value.map { "\($0)" } ?? "-", keepNewlines: false) }
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            Swift.print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}
