import Foundation
import ResponderTestSupport

/// A temporary state folder and playbooks folder for running `responder serve`.
struct ServeFolders {
    let temporary: TemporaryFolder
    var state: String { temporary.path + "/state" }
    var playbooks: String { temporary.path + "/Playbooks" }

    init(_ prefix: String) throws {
        temporary = try TemporaryFolder(prefix)
        try FileManager.default.createDirectory(atPath: temporary.path + "/Playbooks", withIntermediateDirectories: true)
    }

    /// `serve` arguments on a loopback port chosen by the system.
    var serveArguments: [String] { ["serve", "--state", state, "--listen", "127.0.0.1:0", "--playbooks", playbooks] }

    func remove() { temporary.remove() }
}
