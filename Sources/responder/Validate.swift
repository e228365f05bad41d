import ArgumentParser
import Foundation
import ResponderServer
import ResponderCore
import ResponderPlaybooks

/// `responder validate [DIR]`: checks the playbook files the way the server loads them, then runs the scenarios of
/// `DIR/scenarios/` against them.
struct Validate: ParsableCommand {
    /// Name and help of the subcommand.
    static let configuration = CommandConfiguration(
        abstract: "Check the playbook files and run their scenarios: exit 0, or print file:line: message for every "
            + "problem and failed expectation and exit 1."
    )

    /// The folder to check.
    @Argument(help: "Folder of playbook YAML files (subfolders are not read as playbooks; scenarios/ holds scenarios).")
    var directory = "Playbooks"

    /// The server's configuration, when the playbooks must also agree with it (Kubernetes clusters).
    @Option(help: "YAML configuration file of the server: Kubernetes targets must then name one of its clusters.")
    var config: String?

    /// Loads the folder and prints the summary or every problem; then simulates every scenario.
    func run() throws {
        var clusters: Set<String>?
        if let config {
            do {
                // Only the file itself is read: the secret files it names (admin.token_file, ...) exist where serve
                // runs, not where playbooks are checked.
                let path = config
                let loader = ConfigLoader { file in
                    guard file == path else { return "not read by validate" }
                    return try String(contentsOfFile: file, encoding: .utf8)
                }
                clusters = try loader.load(path: config).kubernetes.clusterNames
            } catch {
                print("\(error)")
                throw ExitCode(1)
            }
        }
        let set: PlaybookSet
        switch PlaybookLoader.load(directory: directory, clusters: clusters) {
        case .success(let loaded):
            set = loaded
            print("\(directory): \(set.summary): valid")
        case .failure(let problems):
            print(problems)
            throw ExitCode(1)
        }
        guard try runScenarios(set) else { throw ExitCode(1) }
    }

    /// Loads and simulates every `*.yaml` / `*.yml` in `DIR/scenarios/`; false when one fails. Nothing is printed
    /// when the folder does not exist.
    private func runScenarios(_ set: PlaybookSet) throws -> Bool {
        let folder = (directory as NSString).appendingPathComponent("scenarios")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { return true }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var passed = 0
        var failed = 0
        var withoutExpectations = 0
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            switch ScenarioLoader.load(path: path) {
            case .failure(let problems):
                print(problems)
                failed += 1
            case .success(let scenario):
                let result = Simulator.run(scenario, playbooks: set)
                if !result.passed {
                    result.failures.forEach { print($0) }
                    failed += 1
                } else if scenario.expect == nil {
                    withoutExpectations += 1
                } else {
                    passed += 1
                }
            }
        }
        var summary = "scenarios: \(passed) passed"
        if failed > 0 { summary += ", \(failed) failed" }
        if withoutExpectations > 0 { summary += ", \(withoutExpectations) without expectations (simulated only)" }
        print(summary)
        return failed == 0
    }
}
