import Foundation
import Glibc
import ResponderExecutors

/// A temporary directory holding executable scripts; put it first on PATH to stand in for real programs.
final class ScriptDirectory: Sendable {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("responder-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes an executable `/bin/sh` script named `name` and returns its path.
    @discardableResult
    func script(_ name: String, _ body: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        // Written through an O_CLOEXEC descriptor: Foundation's temporary file is inherited by processes other tests
        // spawn meanwhile, and exec of a file someone holds open for writing fails with ETXTBSY ("Text file busy").
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let bytes = Array(("#!/bin/sh\n" + body + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { throw POSIXError(.EIO) }
        return file
    }

    /// A script that writes each of its arguments followed by a NUL byte to `record` (so newlines survive).
    @discardableResult
    func recorder(_ name: String, stdout: String = "") throws -> String {
        try script(name, "printf '%s\\0' \"$@\" > \"\(recordPath)\"\nprintf '\(stdout)'")
    }

    var recordPath: String { (path as NSString).appendingPathComponent("argv.record") }

    /// The arguments the recorder received, or nil when it never ran.
    func recorded() -> [String]? {
        guard let data = FileManager.default.contents(atPath: recordPath) else { return nil }
        var args = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if args.last == "" { args.removeLast() }
        return args
    }

    /// A runner whose PATH starts with this directory.
    func runner(outputLimit: Int = 64 * 1024) -> CommandRunner {
        CommandRunner(baseEnvironment: ["PATH": "\(path):/usr/bin:/bin"], outputLimit: outputLimit,
                      killGrace: .milliseconds(500))
    }
}
