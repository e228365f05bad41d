import ArgumentParser
import Foundation
import ResponderCore
import ResponderPlaybooks

/// `responder plan`: what an alert, or a scheduled event (`--event`), would start, without doing anything.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the playbooks an alert matches and the timeline it would start, or (--event) the timeline of a "
            + "scheduled event: when it prepares, its actions, its step-down after the end."
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument {
        case text, json
    }

    @Option(help: "Alertmanager webhook body, SNS delivery or CloudWatch alarm message (JSON).")
    var alert: String?

    @OptionGroup var event: PlanEventOptions

    @Option(help: "Folder of playbook YAML files.")
    var playbooks = "Playbooks"

    @Option(name: .customLong("replicas"), help: "Current replicas of a target, TARGET=N (repeatable).")
    var replicas: [String] = []

    @Option(name: .customLong("autoscaler-desired"), help: "What a target's autoscaler wants now, TARGET=N (repeatable).")
    var autoscalerDesired: [String] = []

    @Option(help: "Plan as of this RFC 3339 time instead of now (reproducible output).")
    var now: String?

    @Option(help: "text or json.")
    var format: Format = .text

    func validate() throws {
        switch (alert, event.event) {
        case (nil, false):
            throw ValidationError("give --alert FILE to plan an alert, or --event with --playbook, --start and --end to "
                + "plan a scheduled event")
        case (.some, true):
            throw ValidationError("give --alert or --event, not both")
        case (nil, true):
            try event.validateForEvent()
        case (.some, false):
            try event.validateUnused()
        }
    }

    func run() throws {
        let set = try valueOrExit(PlaybookLoader.load(directory: playbooks))
        let instant = try Self.instant(now)
        let current = try Self.counts(replicas, option: "--replicas", targets: set)
        let desired = try Self.counts(autoscalerDesired, option: "--autoscaler-desired", targets: set)
        guard let alert else {
            try event.plan(set: set, now: instant, replicas: current, autoscalerDesired: desired, format: format)
            return
        }
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: alert)))
        } catch {
            throw ValidationError("cannot read --alert \(alert): \(error.localizedDescription)")
        }
        let alerts: [NormalizedAlert]
        do {
            alerts = try AlertFileReader.alerts(in: bytes)
        } catch {
            throw ValidationError("\(alert): \(error.message)")
        }
        let plans = alerts.map {
            Planner.plan(PlanInput(alert: $0, playbooks: set, replicas: current, autoscalerDesired: desired, now: instant))
        }
        switch format {
        case .text:
            print(TerminalText.printable(plans.map(PlanTextRenderer.render).joined(separator: "\n")), terminator: "")
        case .json:
            // One plan per alert of the file, always as an array.
            let objects = try plans.map { try JSONSerialization.jsonObject(with: PlanJSON.encode($0)) }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// `--now` (RFC 3339 between 1970 and 9999), or the wall clock without it.
    static func instant(_ text: String?) throws -> Date {
        guard let text else { return Date() }
        guard let parsed = RFC3339.parseAccepted(text) else {
            throw ValidationError("--now \(text) is not an RFC 3339 time \(RFC3339.acceptedYears)")
        }
        return parsed
    }

    /// Parses `TARGET=N` options, refusing unknown targets and counts outside ``Limits/replicas``.
    static func counts(_ values: [String], option: String, targets: PlaybookSet) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let count = Int(parts[1]), Limits.replicas.contains(count) else {
                throw ValidationError("\(option) \(value): expected TARGET=N with N from \(Limits.text(Limits.replicas)), e.g. api=4")
            }
            guard targets.targets[parts[0]] != nil else {
                let known = targets.targets.keys.sorted().joined(separator: ", ")
                throw ValidationError("\(option) \(value): no target named \(parts[0]) (targets: \(known))")
            }
            counts[parts[0]] = count
        }
        return counts
    }
}
