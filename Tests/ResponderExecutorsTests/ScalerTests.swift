import Foundation
import ResponderCore
import ResponderExecutors
import Testing

@Suite struct ComposeScalerTests {
    @Test func scaleRunsTheExactArgv() async throws {
        let dir = try ScriptDirectory()
        try dir.recorder("docker")
        let scaler = ComposeScaler(runner: dir.runner(), timeout: .seconds(5))
        try await scaler.scale(Target.Compose(project: "shop", service: "worker", file: "/srv/shop/compose.yaml"), to: 4)
        #expect(dir.recorded() == [
            "compose", "-p", "shop", "-f", "/srv/shop/compose.yaml",
            "up", "-d", "--no-recreate", "--scale", "worker=4", "worker",
        ])
        try await scaler.scale(Target.Compose(project: "shop", service: "api"), to: 0)
        #expect(dir.recorded() == ["compose", "-p", "shop", "up", "-d", "--no-recreate", "--scale", "api=0", "api"])
    }

    @Test func replicasCountsNonEmptyLinesOfPs() async throws {
        let dir = try ScriptDirectory()
        try dir.recorder("docker", stdout: "c0ffee1\\n\\n  \\nbadf00d2\\nabc3\\n")
        let scaler = ComposeScaler(runner: dir.runner(), timeout: .seconds(5))
        let count = try await scaler.replicas(of: Target.Compose(project: "shop", service: "worker", file: "x.yaml"))
        #expect(count == 3)
        #expect(dir.recorded() == ["compose", "-p", "shop", "-f", "x.yaml", "ps", "-q", "worker"])
    }

    @Test func noContainersIsZero() async throws {
        let dir = try ScriptDirectory()
        try dir.recorder("docker")
        let count = try await ComposeScaler(runner: dir.runner()).replicas(of: Target.Compose(project: "p", service: "s"))
        #expect(count == 0)
    }

    @Test func configurableProgramAndNegativeCountRefused() async throws {
        let dir = try ScriptDirectory()
        let path = try dir.recorder("my-docker")
        let scaler = ComposeScaler(runner: dir.runner(), program: path)
        #expect(scaler.psArgv(Target.Compose(project: "p", service: "s")) == [path, "compose", "-p", "p", "ps", "-q", "s"])
        await #expect(throws: CommandError.self) { try await scaler.scale(Target.Compose(project: "p", service: "s"), to: -1) }
        #expect(dir.recorded() == nil)
    }
}

@Suite struct CommandTargetScalerTests {
    @Test func setReplacesReplicasAndGetParsesTheCount() async throws {
        let dir = try ScriptDirectory()
        try dir.recorder("scalectl", stdout: " 7\\n")
        let scaler = CommandTargetScaler(runner: dir.runner(), timeout: .seconds(5))
        let target = Target.Command(get: ["scalectl", "get", "worker"], set: ["scalectl", "set", "worker", "--count={replicas}"])
        try await scaler.scale(target, to: 12)
        #expect(dir.recorded() == ["set", "worker", "--count=12"])
        let count = try await scaler.replicas(of: target)
        #expect(count == 7)
        #expect(dir.recorded() == ["get", "worker"])
        let unreadable = try await scaler.replicas(of: Target.Command(get: nil, set: ["scalectl"]))
        #expect(unreadable == nil)
    }

    @Test("a command target's count is read up to 100,000; one past it fails the read, naming the target")
    func countOutsideTheRangeIsRefused() async throws {
        let dir = try ScriptDirectory()
        let target = Target.Command(get: ["scalectl", "get"], set: ["scalectl", "{replicas}"])
        try dir.recorder("scalectl", stdout: "100000\\n")
        let backend = CommandBackend(name: "pool", target, scaler: CommandTargetScaler(runner: dir.runner(), timeout: .seconds(5)))
        #expect(try await backend.replicas() == 100_000)
        try dir.recorder("scalectl", stdout: "100001\\n")
        await #expect(throws: BackendError.permanent("command target pool reported a count of 100001, outside the 0 to 100,000 "
            + "replicas Responder accepts: check the object (or the command's output) by hand")) {
            try await backend.replicas()
        }
    }

    @Test func garbageCountIsAnError() {
        #expect(throws: CommandError.unparsableOutput(program: "p", output: "seven")) {
            try CommandTargetScaler.parseCount("seven\n", program: "p")
        }
        #expect(throws: CommandError.self) { try CommandTargetScaler.parseCount("-3", program: "p") }
        #expect((try? CommandTargetScaler.parseCount("\n42\n", program: "p")) == 42)
    }
}
