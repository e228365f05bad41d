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

/// Renders a command the way the live executor does (``StepRendering``) and runs it when it is not refused.
func runCommand(_ call: Action.CommandCall, labels: [String: String], with runner: CommandStepRunner) async -> StepResult {
    let alert = NormalizedAlert(source: .alertmanager, fingerprint: "00aa", status: .firing, labels: labels, annotations: [:],
                                startsAt: nil, endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil, idempotencyKey: "k")
    let step = RunStep(index: 0, phase: .actions, anchor: .now, offsetSeconds: 0, due: nil, work: .action(.command(call)),
                       target: nil, to: nil, detail: "")
    switch StepRendering.prepare(step, snapshot: [:], template: AlertTemplate(alert: alert, playbook: "p")) {
    case .request(.command(let prepared)): return await runner.run(prepared)
    case .refused(let message): return .permanent(message)
    case let other: return .permanent("unexpected rendering \(other)")
    }
}

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
        let result = await runCommand(call(), labels: ["deployment": value, "namespace": "prod"], with: runner)
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
        let result = await runCommand(call(), labels: ["deployment": "worker", "namespace": "prod"], with: runner)
        #expect(result == .success(detail: "ran recorder: exit 0, output: restarted", snapshot: [:]))
        #expect(dir.recorded() == ["rollout", "restart", "deployment/worker", "-n", "prod"])
    }

    @Test func missingLabelIsPermanent() async throws {
        let dir = try ScriptDirectory()
        try dir.recorder("recorder")
        let result = await runCommand(call(), labels: ["namespace": "prod"], with: CommandStepRunner(runner: dir.runner()))
        guard case .permanent(let message) = result else { Issue.record("got \(result)"); return }
        #expect(message.contains("labels.deployment"))
        #expect(dir.recorded() == nil)
    }

    @Test func envCarriesAlertValuesVerbatim() async throws {
        let dir = try ScriptDirectory()
        try dir.script("recorder", "printf '%s' \"$DEPLOYMENT\" > \"\(dir.recordPath)\"")
        let call = Action.CommandCall(argv: ["recorder"], env: ["DEPLOYMENT": "${labels.deployment}"])
        let hostile = "worker; rm -rf / $(id) `id`\nnext"
        let result = await runCommand(call, labels: ["deployment": hostile], with: CommandStepRunner(runner: dir.runner()))
        #expect(result == .success(detail: "ran recorder: exit 0", snapshot: [:]))
        #expect(FileManager.default.contents(atPath: dir.recordPath).map { String(decoding: $0, as: UTF8.self) } == hostile)
    }

    @Test func nulInAnEnvironmentValueIsRefusedNamingTheVariable() async throws {
        let dir = try ScriptDirectory()
        try dir.recorder("recorder")
        let call = Action.CommandCall(argv: ["recorder"], env: ["DEPLOYMENT": "${labels.deployment}"])
        let result = await runCommand(call, labels: ["deployment": "worker\u{0}rest"], with: CommandStepRunner(runner: dir.runner()))
        guard case .permanent(let message) = result else { Issue.record("got \(result)"); return }
        #expect(message.contains("command.env.DEPLOYMENT"))
        #expect(message.contains("NUL"))
        #expect(dir.recorded() == nil)
    }

    @Test func substitutedValuesAreNotRescanned() throws {
        let call = Action.CommandCall(argv: ["tool", "{a}{b}", "{unknown}", "{a"],
                                      params: ["a": .init(from: "labels.a", pattern: "[{}a-z]+"),
                                               "b": .init(from: "labels.b", pattern: "k8s-name")])
        let alert = NormalizedAlert(source: .alertmanager, fingerprint: "f", status: .firing, labels: ["a": "{b}", "b": "x"],
                                    annotations: [:], startsAt: nil, endsAt: nil, generatorURL: nil, groupKey: nil,
                                    receiver: nil, idempotencyKey: "k")
        let command = try CommandRenderer.render(call, values: TemplateValues(AlertTemplate(alert: alert, playbook: "p")))
        #expect(command.argv == ["tool", "{b}x", "{unknown}", "{a"])
    }

    @Test func nonZeroExitIsPermanentAndTimeoutRetryable() async throws {
        let dir = try ScriptDirectory()
        try dir.script("fails", "echo 'no such deployment' >&2\nexit 1")
        let runner = CommandStepRunner(runner: dir.runner())
        let failed = await runCommand(Action.CommandCall(argv: ["fails"]), labels: [:], with: runner)
        guard case .permanent(let message) = failed else { Issue.record("got \(failed)"); return }
        #expect(message.contains("no such deployment"))

        let clock = ContinuousClock()
        let start = clock.now
        let slow = await runCommand(Action.CommandCall(argv: ["sleep", "30"], timeout: .milliseconds(200)), labels: [:], with: runner)
        guard case .retryable(let reason) = slow else { Issue.record("got \(slow)"); return }
        #expect(reason.contains("timed out"))
        // Far less than the command's 30 s: 200 ms, then SIGTERM (2 s grace before SIGKILL) and the pipes' 1 s; a
        // machine with every core busy (CI beside other builds) has taken 7 s.
        #expect(clock.now - start < .seconds(15))

        let missing = await runCommand(Action.CommandCall(argv: ["no-such-program-responder"]), labels: [:], with: runner)
        guard case .permanent(let why) = missing else { Issue.record("got \(missing)"); return }
        #expect(why.contains("not found in PATH"))
    }
}
