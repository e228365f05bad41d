import ResponderCore
import ResponderPlaybooks

/// `scenarios`: scenario files through the loader `simulate` uses, then the simulation itself against the repository's
/// playbooks, its expectations checked and its text report rendered (the JSON report is Foundation's encoder over the
/// same values, and too slow to fuzz with).
///
/// Alert files named by the scenario are read from the repository's `samples/alerts/`. Inputs with a `/` or a `\` are
/// skipped: a file reference with a path (or a YAML escape spelling one) could name `/dev/zero` or a FIFO, and the
/// fuzzer would then report the file system, not the loader. Plain file names still reach every sample.
public enum ScenarioTarget {
    /// Loads the scenario and simulates it.
    public static func run(_ bytes: [UInt8]) throws {
        guard !bytes.contains(UInt8(ascii: "/")), !bytes.contains(UInt8(ascii: "\\")) else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        let scenario: Scenario
        switch ScenarioLoader.load(text: text, file: "fuzz-scenario.yaml", directory: FuzzFixtures.alertsDirectory) {
        case .success(let loaded): scenario = loaded
        case .failure(let problems):
            _ = problems.description
            throw problems
        }
        let result = Simulator.run(scenario, playbooks: FuzzFixtures.playbooks)
        _ = result.passed
        _ = SimulationTextRenderer.render(result)
    }
}
