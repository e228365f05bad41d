import Crypto
import Foundation

/// The state folder: database, generated certificate, generated tokens.
public struct StateDirectory: Sendable {
    /// The folder path.
    public let path: String

    /// Creates the folder (mode 0700) if needed.
    public init(path: String) throws(ConfigError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ConfigError("\(path): cannot create the state folder (set --state DIR): \(error.localizedDescription)")
        }
    }

    /// Path of a file inside the folder.
    public func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// Reads the token stored in `name`, creating a random 256-bit one (mode 0600) on first use.
    /// Returns the token and whether it was just generated.
    public func token(named name: String) throws(ConfigError) -> (Secret, generated: Bool) {
        let path = file(name)
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { return (Secret(trimmed), false) }
        }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let token = bytes.map { String(format: "%02x", $0) }.joined()
        guard FileManager.default.createFile(
            atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]
        ) else {
            throw ConfigError("\(path): cannot write the generated token")
        }
        return (Secret(token), true)
    }
}
