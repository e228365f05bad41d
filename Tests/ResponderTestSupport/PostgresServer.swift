import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for the tests: Debian's binaries, a fresh cluster in a temporary directory, listening
/// on a free loopback port, started once per test process and stopped when it exits. Each test takes a database of
/// its own (``createDatabase()``), so tests run in parallel against one server.
public actor PostgresServer {
    /// Why the server could not be started or used.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong and what to do about it.
        public var description: String
    }

    /// The loopback port the server listens on.
    public nonisolated let port: Int
    private let binaries: URL
    private let folder: URL
    private var created = 0

    // One start for the whole process: every caller awaits the same task.
    private static let starting = Task { try await PostgresServer.start() }

    /// The server of this test process, started on first use.
    public static func shared() async throws -> PostgresServer {
        try await starting.value
    }

    private init(port: Int, binaries: URL, folder: URL) {
        self.port = port
        self.binaries = binaries
        self.folder = folder
    }

    /// `postgres://postgres@127.0.0.1:<port>/<database>?sslmode=disable`.
    public nonisolated func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Creates an empty database with a name no other test uses and returns its URL.
    public func createDatabase() async throws -> String {
        created += 1
        let name = "t\(created)_\(UUID().uuidString.prefix(8).lowercased())"
        try await psql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// Runs one SQL command as the superuser in database `database` (administrative setup in tests).
    public func psql(_ sql: String, database: String = "postgres") async throws {
        let result = try await Self.run(
            binaries.appendingPathComponent("psql"),
            ["-X", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql],
            in: folder
        )
        guard result.status == 0 else {
            throw Failure(description: "psql failed (\(result.status)) running \(sql): \(result.output)")
        }
    }

    // MARK: Starting

    private static func start() async throws -> PostgresServer {
        let binaries = try findBinaries()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("responder-pg-\(UUID().uuidString.prefix(8))")
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let asRoot = geteuid() == 0
        if asRoot {
            // PostgreSQL refuses to run as root: the cluster belongs to Debian's postgres user.
            guard let user = getpwnam("postgres") else {
                throw Failure(description: "running as root but there is no postgres user: install Debian's postgresql package (scripts/test does)")
            }
            for path in [folder.path, data.path] {
                guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                    throw Failure(description: "cannot chown \(path) to postgres: errno \(errno)")
                }
            }
        }
        chmod(data.path, 0o700)
        let prefix = asRoot ? ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] : []
        let initdb = try await run(
            URL(fileURLWithPath: prefix.first ?? binaries.appendingPathComponent("initdb").path),
            Array(prefix.dropFirst()) + (asRoot ? [binaries.appendingPathComponent("initdb").path] : [])
                + ["-D", data.path, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            in: folder
        )
        guard initdb.status == 0 else {
            throw Failure(description: "initdb failed (\(initdb.status)): \(initdb.output)")
        }
        var lastError: (any Error)?
        for _ in 0..<3 {
            do {
                return try await launch(binaries: binaries, folder: folder, data: data, prefix: prefix)
            } catch {
                // The free port may have been taken between choosing and binding it: choose another.
                lastError = error
            }
        }
        throw lastError ?? Failure(description: "postgres did not start")
    }

    private static func launch(binaries: URL, folder: URL, data: URL, prefix: [String]) async throws -> PostgresServer {
        let port = try freePort()
        let log = folder.appendingPathComponent("server-\(port).log").path
        let server = (prefix + [binaries.appendingPathComponent("postgres").path, "-D", data.path, "-p", String(port), "-k", folder.path,
                                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                                "-c", "full_page_writes=off", "-c", "max_connections=200"]).map(shellQuoted).joined(separator: " ")
        // The shell stops the server when its stdin closes, which happens when this process goes away for any reason
        // (a crash included), so no server or directory outlives the tests. It does not `wait`: it inherits this process's blocked
        // signals, SIGCHLD included, so it would never see the server exit; once it exits the server is reaped by init.
        let script = """
            \(server) </dev/null >>\(shellQuoted(log)) 2>&1 &
            read -r _ || true
            kill -QUIT $! 2>/dev/null
            sleep 2
            rm -rf \(shellQuoted(folder.path))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = folder
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let ready = binaries.appendingPathComponent("pg_isready")
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await run(ready, ["-q", "-h", "127.0.0.1", "-p", String(port)], in: folder).status == 0 {
                Cleanup.register(folder: folder.path, data: data.path, watchdog: stdin.fileHandleForWriting)
                return PostgresServer(port: port, binaries: binaries, folder: folder)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try? stdin.fileHandleForWriting.close()
        let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? "(no log)"
        throw Failure(description: "postgres did not accept connections on 127.0.0.1:\(port) within 30 s; its log ends with:\n\(tail)")
    }

    private static func findBinaries() throws -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .compactMap(Int.init)
            .filter { FileManager.default.isExecutableFile(atPath: root.appendingPathComponent("\($0)/bin/postgres").path) }
        guard let newest = versions.max() else {
            throw Failure(description: "no PostgreSQL server in /usr/lib/postgresql/*/bin: install Debian's postgresql package (scripts/test does)")
        }
        return root.appendingPathComponent("\(newest)/bin")
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot bind a loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs a program in `folder` (the cluster's, removed at exit) to completion without blocking a thread; returns its
    /// exit status and combined output.
    private static func run(_ executable: URL, _ arguments: [String], in folder: URL) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let output = folder.appendingPathComponent("out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: Failure(description: "cannot run \(executable.path): \(error)"))
            }
        }
        try? handle.close()
        return (status, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}

/// Stops the server and removes its directory when the test process exits normally.
private enum Cleanup {
    // Written once before the exit handler can run, read only by it.
    nonisolated(unsafe) private static var folder: String?
    nonisolated(unsafe) private static var data: String?
    nonisolated(unsafe) private static var watchdog: FileHandle?

    /// Remembers what to stop and remove, and arranges for ``stop()`` to run at exit.
    static func register(folder: String, data: String, watchdog: FileHandle) {
        Self.folder = folder
        Self.data = data
        Self.watchdog = watchdog
        atexit {
            Cleanup.stop()
        }
    }

    /// Stops the server and removes its directory.
    static func stop() {
        guard let folder, let data else { return }
        // Stop the postmaster directly (the watchdog shell may not see end-of-file if a child inherited the pipe).
        let pidText = (try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8))?.split(separator: "\n").first
        try? watchdog?.close()
        if let pidText, let pid = pid_t(pidText) {
            kill(pid, SIGQUIT)
            // The server removes its pid file as it exits.
            for _ in 0..<100 where FileManager.default.fileExists(atPath: data + "/postmaster.pid") {
                usleep(20_000)
            }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }
}
