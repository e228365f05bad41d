import Foundation
import ResponderExecutors
import Testing

@Suite struct CommandRunnerTests {
    @Test func argumentsReachTheProgramByteForByteWithoutAShell() async throws {
        let dir = try ScriptDirectory()
        try dir.recorder("recorder")
        let marker = (dir.path as NSString).appendingPathComponent("marker")
        let hostile = [
            "; rm -rf /", "$(id)", "`id`", "a | cat", "line1\nline2", "; touch \(marker)", "$(touch \(marker))",
            "`touch \(marker)`", "x && touch \(marker)", "'quoted' \"double\"", "*", "$HOME", "",
        ]
        let output = try await dir.runner().run(["recorder"] + hostile, timeout: .seconds(5))
        #expect(output.succeeded)
        #expect(dir.recorded() == hostile)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func timeoutKillsTheProcessQuickly() async throws {
        let dir = try ScriptDirectory()
        let clock = ContinuousClock()
        let start = clock.now
        // The program would run 300 s; every bound below is far under that and far over what a loaded 2-core machine
        // needs to start and reap a process (5 s was exceeded there: the bound is about being killed, not speed).
        let output = try await dir.runner().execute(["sleep", "300"], timeout: .milliseconds(200))
        #expect(output.timedOut)
        // SIGTERM itself must end it: the child must not inherit a mask that blocks it.
        #expect(output.signaled && output.status == SIGTERM)
        #expect(clock.now - start < .seconds(30))
        await #expect(throws: CommandError.self) {
            try await dir.runner().run(["sleep", "300"], timeout: .milliseconds(200))
        }
        do {
            _ = try await dir.runner().run(["sleep", "300"], timeout: .milliseconds(200))
        } catch {
            guard case .timedOut = error else { Issue.record("expected a timeout, got \(error)"); return }
            #expect(error.description.contains("timed out"))
        }
        #expect(clock.now - start < .seconds(60))
    }

    @Test func ignoringSIGTERMStillGetsKilled() async throws {
        let dir = try ScriptDirectory()
        try dir.script("stubborn", "trap '' TERM\nwhile :; do sleep 0.05; done")
        let clock = ContinuousClock()
        let start = clock.now
        let output = try await dir.runner().execute(["stubborn"], timeout: .milliseconds(200))
        #expect(output.timedOut)
        #expect(output.signaled && output.status == SIGKILL)
        #expect(clock.now - start < .seconds(30), "SIGKILL after the 2 s grace, not never")
    }

    @Test func outputIsCappedAndMarkedTruncated() async throws {
        let dir = try ScriptDirectory()
        let output = try await dir.runner(outputLimit: 1024).run(["head", "-c", "100000", "/dev/zero"], timeout: .seconds(5))
        #expect(output.stdout.count == 1024)
        #expect(output.stdoutTruncated)
        #expect(!output.stderrTruncated)
        let small = try await dir.runner(outputLimit: 1024).run(["printf", "hello"], timeout: .seconds(5))
        #expect(small.stdoutText == "hello")
        #expect(!small.stdoutTruncated)
    }

    @Test func missingProgramSaysSo() async throws {
        let dir = try ScriptDirectory()
        do {
            _ = try await dir.runner().run(["no-such-program-responder"], timeout: .seconds(1))
            Issue.record("expected an error")
        } catch {
            guard case .programNotFound(let program, let searched) = error else { Issue.record("got \(error)"); return }
            #expect(program == "no-such-program-responder")
            #expect(searched.first == dir.path)
            #expect(error.description.contains("not found in PATH"))
            #expect(error.description.contains("install it or give an absolute path"))
        }
        #expect(throws: CommandError.programNotFound(program: "/nope/tool", searched: [])) {
            try CommandRunner.resolve("/nope/tool", path: nil)
        }
    }

    @Test func nonExecutableFileIsReported() throws {
        let dir = try ScriptDirectory()
        let file = try dir.script("plain", "exit 0")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(throws: CommandError.notExecutable(path: file)) { try CommandRunner.resolve("plain", path: dir.path) }
    }

    @Test func nonZeroExitCarriesTheStderrTail() async throws {
        let dir = try ScriptDirectory()
        try dir.script("fails", "echo 'boom: bad thing' >&2\nexit 3")
        do {
            _ = try await dir.runner().run(["fails"], timeout: .seconds(5))
            Issue.record("expected an error")
        } catch {
            #expect(error == .failed(program: "fails", status: 3, signaled: false, stderrTail: "boom: bad thing"))
            #expect(error.description.contains("exited with status 3"))
        }
    }

    @Test func extraEnvironmentIsPassed() async throws {
        let dir = try ScriptDirectory()
        try dir.script("showenv", "printf '%s' \"$GREETING\"")
        let output = try await dir.runner().run(["showenv"], environment: ["GREETING": "$(id); `id`"], timeout: .seconds(5))
        #expect(output.stdoutText == "$(id); `id`")
    }
}
