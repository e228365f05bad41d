import ArgumentParser
import Foundation
import ResponderCore
import ResponderPlaybooks

/// `responder simulate`: runs a scenario on a virtual clock with dry-run executors.
struct Simulate: ParsableCommand {
    /// Name and help of the subcommand.
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario on a virtual clock with dry-run executors: print the timeline of every step and "
            + "notification, then check its expectations (exit 1 when one fails)."
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument {
        case text, json
    }

    /// The scenario file.
    @Argument(help: "Scenario YAML file (see Playbooks/scenarios/README.md).")
    var scenario: String

    /// The playbook set it runs against.
    @Option(help: "Folder of playbook YAML files.")
    var playbooks = "Playbooks"

    /// text or json.
    @Option(help: "text or json.")
    var format: Format = .text

    /// Loads the playbooks and the scenario, simulates, prints, and exits 1 on a failed expectation.
    func run() throws {
        let set = try valueOrExit(PlaybookLoader.load(directory: playbooks))
        let loaded = try valueOrExit(ScenarioLoader.load(path: scenario))
        let result = Simulator.run(loaded, playbooks: set)
        switch format {
        case .text:
            print(TerminalText.printable(SimulationTextRenderer.render(result)), terminator: "")
        case .json:
            print(String(decoding: try SimulationJSON.encode(result), as: UTF8.self))
        }
        if !result.passed { throw ExitCode(1) }
    }
}
