import ArgumentParser
import ResponderPlaybooks

/// `responder validate [DIR]`: checks the playbook files the way the server loads them.
struct Validate: ParsableCommand {
    /// Name and help of the subcommand.
    static let configuration = CommandConfiguration(
        abstract: "Check the playbook files: exit 0, or print file:line: message for every problem and exit 1."
    )

    /// The folder to check.
    @Argument(help: "Folder of playbook YAML files (subfolders are not read).")
    var directory = "Playbooks"

    /// Loads the folder and prints the summary or every problem.
    func run() throws {
        switch PlaybookLoader.load(directory: directory) {
        case .success(let set):
            print("\(directory): \(set.summary): valid")
        case .failure(let problems):
            print(problems)
            throw ExitCode(1)
        }
    }
}
