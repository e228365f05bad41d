import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for the tests: Debian's binaries, a fresh cluster in a temporary directory, listening
/// on a free loopback port, started once per test process and stopped when it exits. Each test takes a database of
/// its own (``createDatabase()``), so tests run in parallel against one server.
///
/// A test that restarts or stops the server (the fault tests) takes a private one instead (``withPrivate(_:)``),
/// which it can ``restart()``, ``stop()`` and ``start()`` again on the same port and data directory.
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
    /// The private server's control: its data directory, the `setpriv` prefix and its watchdog; nil for the shared one.
    private let control: Control?

    /// What a private server needs to be controlled with `pg_ctl`.
    private struct Control: Sendable {
        let data: URL
        let prefix: [String]
        let log: URL
        let watchdog: FileHandle
    }

    // One start for the whole process: every caller awaits the same task.
    private static let starting = Task { try await PostgresServer.start() }

    /// The server of this test process, started on first use.
    public static func shared() async throws -> PostgresServer {
        try await starting.value
    }

    private init(port: Int, binaries: URL, folder: URL, control: Control? = nil) {
        self.port = port
        self.binaries = binaries
        self.folder = folder
        self.control = control
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

    // MARK: A private server

    /// Starts a server of its own for `body` (which may restart, stop and start it), and stops it and removes its
    /// files afterwards, whether `body` returns or throws. A watchdog does the same if the test process dies first.
    public static func withPrivate<T: Sendable>(_ body: (PostgresServer) async throws -> T) async throws -> T {
        let server = try await startPrivate()
        do {
            let value = try await body(server)
            await server.remove()
            return value
        } catch {
            await server.remove()
            throw error
        }
    }

    /// Starts a private server (see ``withPrivate(_:)``); the caller must ``remove()`` it.
    public static func startPrivate() async throws -> PostgresServer {
        let (binaries, folder, data, prefix) = try await initialize(name: "responder-pg-private")
        let log = folder.appendingPathComponent("server.log")
        // Stops the server and removes its folder when its standard input closes: at ``remove()``, or when the test
        // process goes away for any reason.
        let stop = prefix + [binaries.appendingPathComponent("pg_ctl").path, "-D", data.path, "-m", "immediate", "stop"]
        let script = """
            read -r _ || true
            \(stop.map(shellQuoted).joined(separator: " ")) >/dev/null 2>&1
            rm -rf \(shellQuoted(folder.path))
            """
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script]
        watchdog.currentDirectoryURL = URL(fileURLWithPath: "/")
        let stdin = Pipe()
        watchdog.standardInput = stdin
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        let control = Control(data: data, prefix: prefix, log: log, watchdog: stdin.fileHandleForWriting)
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try freePort()
            do {
                // The port may be taken between choosing and binding it: then choose another.
                try await pgctl(binaries: binaries, control: control, folder: folder, ["-o", startOptions(port: port, folder: folder),
                                                                                        "-l", log.path, "start"])
                return PostgresServer(port: port, binaries: binaries, folder: folder, control: control)
            } catch {
                lastError = error
            }
        }
        try? stdin.fileHandleForWriting.close()
        throw lastError ?? Failure(description: "private postgres did not start")
    }

    /// `pg_ctl restart -m fast`: the server ends every connection (rolling back open transactions) and starts again on
    /// the same port; returns once it accepts connections.
    public func restart() async throws {
        try await pgctl(["-m", "fast", "restart"])
    }

    /// `pg_ctl stop -m fast`: every connection is ended and the port refuses new ones until ``start()``.
    public func stop() async throws {
        try await pgctl(["-m", "fast", "stop"])
    }

    /// Starts a stopped private server again on the same port and data directory; returns once it accepts
    /// connections (retrying for a few seconds should the port be busy for a moment).
    public func start() async throws {
        guard let control else { throw Failure(description: "only a private server can be started again") }
        var lastError: (any Error)?
        for _ in 0..<10 {
            do {
                try await pgctl(["-o", Self.startOptions(port: port, folder: folder), "-l", control.log.path, "start"])
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        throw lastError ?? Failure(description: "postgres did not start again")
    }

    /// Ends every connection to `database` but the caller's (`pg_terminate_backend`), as an administrator or a
    /// failover proxy would; returns how many were ended.
    @discardableResult
    public func terminateBackends(database: String) async throws -> Int {
        let output = try await psqlOutput("""
            SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = '\(database.replacingOccurrences(of: "'", with: "''"))' AND pid <> pg_backend_pid()) AS ended
            """)
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Stops a private server at once and removes its files (the shared server is left alone).
    public func remove() async {
        guard let control else { return }
        _ = try? await pgctl(["-m", "immediate", "stop"])
        try? control.watchdog.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The end of a private server's log, for a failure message.
    public func logTail(_ characters: Int = 3000) -> String {
        guard let control else { return "" }
        return (try? String(contentsOf: control.log, encoding: .utf8)).map { String($0.suffix(characters)) } ?? "(no log)"
    }

    /// Runs one SQL query as the superuser and returns its unaligned, tuples-only output.
    public func psqlOutput(_ sql: String, database: String = "postgres") async throws -> String {
        let result = try await Self.run(
            binaries.appendingPathComponent("psql"),
            ["-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database,
             "-v", "ON_ERROR_STOP=1", "-c", sql],
            in: folder
        )
        guard result.status == 0 else {
            throw Failure(description: "psql failed (\(result.status)) running \(sql): \(result.output)")
        }
        return result.output
    }

    /// Runs `pg_ctl -D <data> -w -t 60 <arguments>` as the server's user.
    private func pgctl(_ arguments: [String]) async throws {
        guard let control else { throw Failure(description: "only a private server is controlled with pg_ctl") }
        try await Self.pgctl(binaries: binaries, control: control, folder: folder, arguments)
    }

    private static func pgctl(binaries: URL, control: Control, folder: URL, _ arguments: [String]) async throws {
        let pgctl = binaries.appendingPathComponent("pg_ctl").path
        // `pg_ctl start` and `restart` leave the server running in the background with pg_ctl's open files. Foundation
        // notices a child's exit when a descriptor it shares with the child closes, so a server holding it would keep
        // pg_ctl "running" forever: bash closes every descriptor above 2 first.
        let closing = #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#
        let command = ["/bin/bash", "-c", closing, "pg_ctl"] + control.prefix + [pgctl, "-D", control.data.path, "-w", "-t", "60"]
            + arguments
        let result = try await run(URL(fileURLWithPath: command[0]), Array(command.dropFirst()), in: folder)
        guard result.status == 0 else {
            let log = (try? String(contentsOf: control.log, encoding: .utf8)).map { String($0.suffix(3000)) } ?? "(no log)"
            throw Failure(description: "pg_ctl \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.output)\n\(log)")
        }
    }

    /// ``serverOptions(port:folder:)`` as one `pg_ctl -o` argument.
    private static func startOptions(port: Int, folder: URL) -> String {
        serverOptions(port: port, folder: folder).map(shellQuoted).joined(separator: " ")
    }

    /// The options every server of the tests runs with.
    private static func serverOptions(port: Int, folder: URL) -> [String] {
        ["-p", String(port), "-k", folder.path, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
         "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"]
    }

    // MARK: Starting

    private static func start() async throws -> PostgresServer {
        let (binaries, folder, data, prefix) = try await initialize(name: "responder-pg")
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

    /// Makes a fresh cluster in a new temporary folder (owned by the postgres user when running as root); returns the
    /// binaries, the folder, the data directory and the prefix that runs a command as the server's user.
    private static func initialize(name: String) async throws -> (binaries: URL, folder: URL, data: URL, prefix: [String]) {
        let binaries = try findBinaries()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
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
        return (binaries, folder, data, prefix)
    }

    private static func launch(binaries: URL, folder: URL, data: URL, prefix: [String]) async throws -> PostgresServer {
        let port = try freePort()
        let log = folder.appendingPathComponent("server-\(port).log").path
        let server = (prefix + [binaries.appendingPathComponent("postgres").path, "-D", data.path]
                      + serverOptions(port: port, folder: folder)).map(shellQuoted).joined(separator: " ")
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
