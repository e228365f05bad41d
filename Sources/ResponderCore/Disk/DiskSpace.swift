import Foundation

/// Free and total bytes of the file system holding a folder, as `statvfs` gives them to a process without root's
/// reserved blocks (`f_bavail`, not `f_bfree`): what the journal can still write.
public struct DiskSpace: Sendable, Equatable {
    /// Bytes a process may still write.
    public var freeBytes: UInt64
    /// Size of the file system in bytes.
    public var sizeBytes: UInt64

    /// A reading.
    public init(freeBytes: UInt64, sizeBytes: UInt64) {
        self.freeBytes = freeBytes
        self.sizeBytes = sizeBytes
    }

    /// Free space as a percentage of the size (0 for a file system of size 0).
    public var freePercent: Double {
        sizeBytes == 0 ? 0 : Double(freeBytes) / Double(sizeBytes) * 100
    }

    /// `812 MiB free of 1024 MiB (79%)`; amounts under 10 MiB with one decimal, so a filling disk shows its progress.
    public var summary: String {
        "\(Self.mebibytes(freeBytes)) free of \(Self.mebibytes(sizeBytes)) (\(Int(freePercent.rounded(.down)))%)"
    }

    /// `512 MiB`, `3.5 MiB`, `0 MiB`.
    public static func mebibytes(_ bytes: UInt64) -> String {
        let value = Double(bytes) / 1_048_576
        if value >= 10 || value == 0 { return "\(Int(value.rounded(.down))) MiB" }
        return String(format: "%.1f MiB", value)
    }
}
