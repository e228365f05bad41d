import ArgumentParser
import Foundation
import ResponderCore

/// `responder pause`: stop automation on a running server (its admin API), everywhere or on one target, in one
/// direction or both; list and lift pauses.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Stop Responder from acting (everywhere, or on one target; up, down or both), list pauses, lift them.",
        subcommands: [Set.self, List.self, Lift.self],
        defaultSubcommand: List.self
    )

    /// `responder pause set`.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause automation: steps it covers wait (or, with --mode skip, are skipped) until it is lifted or expires.")
        @OptionGroup var server: ServerOptions
        @Option(help: "Why (required: people read it in chat and on the status page).") var reason: String
        @Option(help: "Only this target (default: every target).") var target: String?
        @Option(help: "up, down or both (default).") var direction: PauseDirection = .both
        @Option(help: "wait (default: steps wait and run after the pause) or skip (steps are skipped; restores and undo wait).")
        var mode: PauseMode = .wait
        @Option(name: .customLong("for"), help: "How long it lasts (30m, 2h, 3d); without --for or --until it lasts until lifted.")
        var lasts: String?
        @Option(help: "When it lifts itself: RFC 3339 with an offset (2026-12-07T09:00:00Z).") var until: String?
        @Option(help: "Who pauses (default: $USER).") var actor: String?

        func validate() throws {
            if lasts != nil, until != nil { throw ValidationError("give --for or --until, not both") }
        }

        func run() async throws {
            var body: [String: Any] = ["reason": reason, "direction": direction.rawValue, "mode": mode.rawValue, "by": server.actor(actor)]
            if let target { body["target"] = target }
            if let lasts { body["for"] = lasts }
            if let until { body["until"] = until }
            let data = try await AdminClient(options: server).send(.POST, "/api/pause", body: body)
            try PauseOutput.print(data, format: server.format, key: nil)
        }
    }

    /// `responder pause list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the pauses in force and those lifted in the last week.")
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let data = try await AdminClient(options: server).send(.GET, "/api/pause")
            try PauseOutput.print(data, format: server.format, key: "all")
        }
    }

    /// `responder pause lift`.
    struct Lift: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lift pauses: one by id, or those of a scope (--target; none: the global ones) in a direction (default: any).")
        @OptionGroup var server: ServerOptions
        @Argument(help: "A pause id (pause-N); leave out to lift by scope.") var id: String?
        @Option(help: "The target whose pauses to lift (default: the global pauses).") var target: String?
        @Option(help: "Only pauses in this direction (up, down or both).") var direction: PauseDirection?
        @Option(help: "Who lifts (default: $USER).") var actor: String?

        func validate() throws {
            if id != nil, target != nil || direction != nil { throw ValidationError("give an id, or --target/--direction, not both") }
        }

        func run() async throws {
            var query = ["by=\(AdminClient.escape(server.actor(actor)))"]
            if let id { query.append("id=\(AdminClient.escape(id))") }
            if let target { query.append("target=\(AdminClient.escape(target))") }
            if let direction { query.append("direction=\(direction.rawValue)") }
            let data = try await AdminClient(options: server).send(.DELETE, "/api/pause?" + query.joined(separator: "&"))
            try PauseOutput.print(data, format: server.format, key: "lifted")
        }
    }
}

extension PauseDirection: ExpressibleByArgument {}
extension PauseMode: ExpressibleByArgument {}

/// Prints pauses as a table a person reads, or the server's JSON as it came.
enum PauseOutput {
    /// Prints `data`: one pause when `key` is nil, the `lifted` list, or `active` then `recent` for `all`.
    static func print(_ data: Data, format: ServerOptions.OutputFormat, key: String?) throws {
        if format == .json {
            TableOutput.printJSON(data)
            return
        }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let pauses: [[String: Any]]
        switch key {
        case nil: pauses = [object]
        case "all": pauses = (object["active"] as? [[String: Any]] ?? []) + (object["recent"] as? [[String: Any]] ?? [])
        case let key?: pauses = object[key] as? [[String: Any]] ?? []
        }
        if pauses.isEmpty {
            Swift.print("no pauses")
            return
        }
        let rows = pauses.map { pause -> [String] in
            let state = (pause["active"] as? Bool ?? false) ? "in force" : "lifted by \(pause["lifted_by"] ?? "-")"
            return [pause["id"], pause["scope"], pause["direction"], pause["mode"], state, pause["since"], pause["until"] ?? "-",
                    pause["by"], pause["reason"]].map(TableOutput.cell)
        }
        TableOutput.print([["ID", "SCOPE", "DIRECTION", "MODE", "STATE", "SINCE", "UNTIL", "BY", "REASON"]] + rows)
    }
}
