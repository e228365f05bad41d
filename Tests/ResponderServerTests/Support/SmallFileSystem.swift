#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A size-limited tmpfs mounted on a folder for one test (root, or CAP_SYS_ADMIN, is needed to mount it), and a
/// ballast file that fills it to the last byte.
struct SmallFileSystem {
    /// The mount point.
    let path: String

    /// Mounts a tmpfs of `size` (`16m`) on `path`, creating the folder; fails with what to do when mounting is not
    /// permitted, so the test cannot pass without its small file system.
    init(at path: String, size: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let (status, output) = Self.run(["mount", "-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])
        guard status == 0 else {
            throw SmallFileSystemError(message: "cannot mount a \(size) tmpfs on \(path) (mount exited \(status): "
                + "\(output.trimmingCharacters(in: .whitespacesAndNewlines))): the disk-full test needs root or "
                + "CAP_SYS_ADMIN to mount a small file system; run it where `mount -t tmpfs` is permitted")
        }
    }

    /// Unmounts (lazily, so a file still open does not keep it mounted).
    func unmount() {
        _ = Self.run(["umount", "-l", path])
    }

    /// Writes `name` until the file system has no byte left (ENOSPC); returns how many bytes it took.
    func fill(_ name: String) throws -> Int {
        let file = path + "/" + name
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw SmallFileSystemError(message: "cannot create \(file): errno \(errno)") }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0x5A, count: 1 << 16)
        var total = 0
        while true {
            let written = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                total += written
                continue
            }
            guard errno == ENOSPC else { throw SmallFileSystemError(message: "writing \(file) failed: errno \(errno)") }
            return total
        }
    }

    /// Runs a command found on the PATH; returns its exit status and output.
    private static func run(_ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// The small file system could not be set up.
struct SmallFileSystemError: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    var message: String
    /// The message.
    var description: String { message }
}
