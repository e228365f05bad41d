import Foundation

/// A fresh folder under the system temp directory, removed by `remove()`.
public struct TemporaryFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// Creates `<temp>/<prefix>-<uuid>`.
    public init(_ prefix: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Removes the folder and what it holds.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
