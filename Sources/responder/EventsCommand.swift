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
                                       "actor": server.actor(actor)]
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
            let data = try await AdminClient(options: server).send(.GET, "/api/events?when=\(AdminClient.escape(when))")
            try EventsOutput.print(data, format: server.format, single: false)
        }
    }

    /// `responder events show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one event, with its run once started.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The event id (evt-N).") var id: String

        func run() async throws {
            let data = try await AdminClient(options: server).send(.GET, "/api/events/\(AdminClient.escape(id))")
            try EventsOutput.print(data, format: server.format, single: true)
        }
    }

    /// `responder events move`.
    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move the start and/or end of an event (once its preparation started, only its end: the run's ladder follows).")
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
            let data = try await AdminClient(options: server).send(.PATCH, "/api/events/\(AdminClient.escape(id))", body: body)
            try EventsOutput.print(data, format: server.format, single: true)
        }
    }

    /// `responder events cancel`.
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel an event: before its preparation nothing runs; once started its run steps down now, or is aborted.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The event id (evt-N).") var id: String
        @Option(help: "Who cancels it (default: $USER).") var actor: String?
        @Option(help: "For a started event: ladder (its run steps down now, the default) or abort (it stops where it is).")
        var mode: ScheduledEvent.CancelMode = .ladder

        func run() async throws {
            let who = server.actor(actor)
            let data = try await AdminClient(options: server).send(
                .DELETE, "/api/events/\(AdminClient.escape(id))?actor=\(AdminClient.escape(who))&cancel=\(mode.rawValue)")
            try EventsOutput.print(data, format: server.format, single: true)
        }
    }
}

extension ScheduledEvent.CancelMode: ExpressibleByArgument {}

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
    /// Prints `data`, one event when `single`, else `{"events": [...]}`, in `format`.
    static func print(_ data: Data, format: ServerOptions.OutputFormat, single: Bool) throws {
        if format == .json {
            TableOutput.printJSON(data)
            return
        }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let events = single ? [object] : (object["events"] as? [[String: Any]] ?? [])
        if events.isEmpty {
            Swift.print("no events")
            return
        }
        let rows = events.map { event -> [String] in
            let run = event["run"] as? [String: Any]
            return [event["id"], event["status"], event["playbook"], event["name"], event["start"], event["end"],
                    event["prepare_at"], run.map { "\($0["id"] ?? "-") \($0["status"] ?? "")" }]
                .map(TableOutput.cell)
        }
        TableOutput.print([["ID", "STATUS", "PLAYBOOK", "NAME", "START", "END", "PREPARE AT", "RUN"]] + rows)
    }
}
