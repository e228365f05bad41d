/// Where a playbook element was written, for `file:line: message` errors.
public struct FileLocation: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// File path as given to the loader.
    public var file: String
    /// 1-based line.
    public var line: Int

    /// Creates a location.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `file:line`.
    public var description: String { "\(file):\(line)" }
}
