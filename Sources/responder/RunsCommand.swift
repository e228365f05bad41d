import ArgumentParser
import Foundation

/// `responder runs`: the runs of the running server (its admin API), and a person's commands to them.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List and show runs on a running server; acknowledge, hold, resume or abort one; print its scaling report.",
        subcommands: [List.self, Show.self, Report.self, Ack.self, Hold.self, Resume.self, Abort.self]
    )

    /// `responder runs list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, newest first.")
        @OptionGroup var server: ServerOptions
        @Option(help: "How many of the newest runs the server sends (1 to 500).") var limit = 50
        @Flag(help: "Only runs still open (active or held) among those.") var open = false

        func validate() throws {
            guard (1...500).contains(limit) else { throw ValidationError("--limit must be 1 to 500") }
        }

        func run() async throws {
            let data = try await AdminClient(options: server).send(.GET, "/api/runs?limit=\(limit)")
            try RunsOutput.list(data, format: server.format, onlyOpen: open)
        }
    }

    /// `responder runs show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one run: its steps, history and notifications.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The run id (run-N).") var id: String

        func run() async throws {
            let data = try await AdminClient(options: server).send(.GET, "/api/runs/\(AdminClient.escape(id))")
            try RunsOutput.show(data, format: server.format)
        }
    }

    /// `responder runs report`.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a run's scaling report: what changed, peak and final counts, load-check waits, undo outcomes.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The run id (run-N).") var id: String

        func run() async throws {
            // The report is for people as Markdown; `--format json` gives the server's JSON (`table` means Markdown).
            let json = server.format == .json
            let path = "/api/runs/\(AdminClient.escape(id))/report" + (json ? "" : "?format=markdown")
            let data = try await AdminClient(options: server).send(.GET, path)
            RunsOutput.report(data, json: json)
        }
    }

    /// `responder runs ack`.
    struct Ack: Control {
        static let configuration = CommandConfiguration(abstract: "Acknowledge a run (releases steps waiting for an ack).")
        static let command = "ack"
        @OptionGroup var server: ServerOptions
        @OptionGroup var target: RunTarget
    }

    /// `responder runs hold`.
    struct Hold: Control {
        static let configuration = CommandConfiguration(abstract: "Hold a run: no step fires until it is resumed.")
        static let command = "hold"
        @OptionGroup var server: ServerOptions
        @OptionGroup var target: RunTarget
    }

    /// `responder runs resume`.
    struct Resume: Control {
        static let configuration = CommandConfiguration(abstract: "Resume a held run; its remaining steps move later by the time held.")
        static let command = "resume"
        @OptionGroup var server: ServerOptions
        @OptionGroup var target: RunTarget
    }

    /// `responder runs abort`.
    struct Abort: Control {
        static let configuration = CommandConfiguration(abstract: "Abort a run: every pending step is cancelled.")
        static let command = "abort"
        @OptionGroup var server: ServerOptions
        @OptionGroup var target: RunTarget
    }

    /// A person's command to one run: `POST /api/runs/{id}/{command}` with the actor, then the run's summary.
    protocol Control: AsyncParsableCommand {
        /// The command's name in the API path (`ack`, `hold`, `resume`, `abort`).
        static var command: String { get }
        /// Where the server is.
        var server: ServerOptions { get }
        /// The run and who acts.
        var target: RunTarget { get }
    }

    /// The run a command acts on, and who acts.
    struct RunTarget: ParsableArguments {
        @Argument(help: "The run id (run-N).") var id: String
        @Option(help: "Who acts (default: $USER, else cli).") var actor: String?
    }
}

extension RunsCommand.Control {
    /// Sends the command; a refusal (404 unknown run, 409 not applicable now, 410 ended) is thrown with the server's
    /// reason and exits 1.
    func run() async throws {
        let data = try await AdminClient(options: server).send(
            .POST, "/api/runs/\(AdminClient.escape(target.id))/\(Self.command)", body: ["actor": server.actor(target.actor)])
        try RunsOutput.summary(data, format: server.format)
    }
}
