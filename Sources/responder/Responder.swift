import ArgumentParser

/// The `responder` command line.
@main
struct Responder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responder",
        abstract: "Turns alerts into safe, gradual, audited scaling actions.",
        subcommands: [Serve.self, PlanCommand.self, Validate.self, Simulate.self, Alerts.self, EventsCommand.self, PauseCommand.self,
                      RunsCommand.self],
        defaultSubcommand: Serve.self
    )
}
