import Foundation
import ResponderCore
import ResponderExecutors
import Testing

/// Hostile `deployment` label values from alertmanager/synthetic/v4_adversarial_labels.json.
let hostileDeployments: [String] = [
    "worker; rm -rf /",
    "$(id)",
    "`id`",
    "worker\nkubectl delete ns prod",
    "../../etc/passwd",
    "worker' || true #",
    "-n kube-system",
    "--all",
    "w\u{202E}orker",
    String(repeating: "x", count: 70_000),
]

@Suite struct CommandStepRunnerTests {
    private func call(timeout: Duration = .seconds(5)) -> Action.CommandCall {
        Action.CommandCall(
            argv: ["recorder", "rollout", "restart", "deployment/{deployment}", "-n", "{namespace}"],
            env: ["DEPLOYMENT": "${labels.deployment}"],
            params: [
                "deployment": .init(from: "labels.deployment", pattern: "k8s-name"),
                "namespace": .init(from: "labels.namespace", pattern: "k8s-name"),
            ],
            timeout: timeout
        )
    }

    // Indices, not values, as arguments: the test log would otherwise print a 70 000-character name.
    @Test(arguments: hostileDeployments.indices)
    func hostileDeploymentIsRefusedAndNothingRuns(_ index: Int) async throws {
        let value = hostileDeployments[index]
        let dir = try ScriptDirectory()
        try dir.recorder("recorder")
        let runner = CommandStepRunner(runner: dir.runner())
        let result = await runner.run(call(), values: ["labels.deployment": value, "labels.namespace": "prod"])
        guard case .permanent(let message) = result else {
            Issue.record("expected a permanent failure, got \(result)")
            return
        }
        #expect(message.contains("refused"))
        #expect(message.contains("not run"))
        #expect(message.count < 400)
        #expect(dir.recorded() == nil)
    }

    @Test func validValueIsSubstitutedAndRun() async throws {
        let dir = try ScriptDirectory()
        try dir.recorder("recorder", stdout: "restarted\\n")
        let runner = CommandStepRunner(runner: dir.runner())
        let result = await runner.run(call(), values: ["labels.deployment": "worker", "labels.namespace": "prod"])
        #expect(result == .success(detail: "ran recorder: exit 0, output: restarted", snapshot: [:]))
        #expect(dir.recorded() == ["rollout", "restart", "deployment/worker", "-n", "prod"])
    }

    @Test func missingLabelIsPermanent() async throws {
        let dir = try ScriptDirectory()
        try dir.recorder("recorder")
        let result = await CommandStepRunner(runner: dir.runner()).run(call(), values: ["labels.namespace": "prod"])
        guard case .permanent(let message) = result else { Issue.record("got \(result)"); return }
        #expect(message.contains("labels.deployment"))
        #expect(dir.recorded() == nil)
    }

    @Test func envCarriesAlertValuesVerbatim() async throws {
        let dir = try ScriptDirectory()
        try dir.script("recorder", "printf '%s' \"$DEPLOYMENT\" > \"\(dir.recordPath)\"")
        let call = Action.CommandCall(argv: ["recorder"], env: ["DEPLOYMENT": "${labels.deployment}"])
        let hostile = "worker; rm -rf / $(id) `id`\nnext"
        let result = await CommandStepRunner(runner: dir.runner()).run(call, values: ["labels.deployment": hostile])
        #expect(result == .success(detail: "ran recorder: exit 0", snapshot: [:]))
        #expect(FileManager.default.contents(atPath: dir.recordPath).map { String(decoding: $0, as: UTF8.self) } == hostile)
    }

    @Test func substitutedValuesAreNotRescanned() throws {
        let call = Action.CommandCall(argv: ["tool", "{a}{b}", "{unknown}", "{a"],
                                      params: ["a": .init(from: "labels.a", pattern: "[{}a-z]+"),
                                               "b": .init(from: "labels.b", pattern: "k8s-name")])
        let argv = try CommandStepRunner.argv(for: call, values: ["labels.a": "{b}", "labels.b": "x"])
        #expect(argv == ["tool", "{b}x", "{unknown}", "{a"])
    }

    @Test func nonZeroExitIsPermanentAndTimeoutRetryable() async throws {
        let dir = try ScriptDirectory()
        try dir.script("fails", "echo 'no such deployment' >&2\nexit 1")
        let runner = CommandStepRunner(runner: dir.runner())
        let failed = await runner.run(Action.CommandCall(argv: ["fails"]), values: [:])
        guard case .permanent(let message) = failed else { Issue.record("got \(failed)"); return }
        #expect(message.contains("no such deployment"))

        let clock = ContinuousClock()
        let start = clock.now
        let slow = await runner.run(Action.CommandCall(argv: ["sleep", "30"], timeout: .milliseconds(200)), values: [:])
        guard case .retryable(let reason) = slow else { Issue.record("got \(slow)"); return }
        #expect(reason.contains("timed out"))
        #expect(clock.now - start < .seconds(5))

        let missing = await runner.run(Action.CommandCall(argv: ["no-such-program-responder"]), values: [:])
        guard case .permanent(let why) = missing else { Issue.record("got \(missing)"); return }
        #expect(why.contains("not found in PATH"))
    }
}
