import Foundation

/// A command-pair target `worker` for tests of the real binary: a script whose `get` prints the count kept in a file
/// and whose `set` writes it, so a test reads what the live executor did.
public struct CommandPairTarget: Sendable {
    /// The file holding the count.
    public let replicasFile: String
    /// The script.
    public let script: String

    /// Writes the script and the count file (`start` replicas) into `folder`.
    public init(folder: String, start: Int = 3) throws {
        replicasFile = folder + "/replicas"
        script = folder + "/scalectl"
        try "\(start)\n".write(toFile: replicasFile, atomically: true, encoding: .utf8)
        try """
            #!/bin/sh
            case "$1" in
              get) cat "\(replicasFile)" ;;
              set) printf '%s\\n' "$2" > "\(replicasFile)" ;;
              *) echo "unexpected $*" >&2; exit 2 ;;
            esac
            """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
    }

    /// The target's entry under `targets:` (floor 2, ceiling 20).
    public var yaml: String {
        """
          - name: worker
            command:
              get: ["\(script)", get]
              set: ["\(script)", set, "{replicas}"]
            bounds: {floor: 2, ceiling: 20}
        """
    }

    /// The count as the script last wrote it, without its newline.
    public var replicas: String {
        ((try? String(contentsOfFile: replicasFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
