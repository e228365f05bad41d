#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ResponderCore

/// Reads the free space of the file system holding a folder with `statvfs`.
public enum DiskProbe {
    /// The space of the file system holding `folder`.
    public static func read(_ folder: String) throws(DiskProbeError) -> DiskSpace {
        var stats = statvfs()
        guard statvfs(folder, &stats) == 0 else {
            throw DiskProbeError(folder: folder, reason: String(cString: strerror(errno)))
        }
        // f_frsize is the unit of the block counts; some file systems leave it 0 and count in f_bsize.
        let unit = UInt64(stats.f_frsize > 0 ? stats.f_frsize : stats.f_bsize)
        let free = UInt64(stats.f_bavail).multipliedReportingOverflow(by: unit)
        let size = UInt64(stats.f_blocks).multipliedReportingOverflow(by: unit)
        return DiskSpace(freeBytes: free.overflow ? .max : free.partialValue, sizeBytes: size.overflow ? .max : size.partialValue)
    }
}

/// The free space of a folder's file system could not be read.
public struct DiskProbeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder.
    public var folder: String
    /// What the system said.
    public var reason: String

    /// A probe error.
    public init(folder: String, reason: String) {
        self.folder = folder
        self.reason = reason
    }

    /// `cannot read the free space of <folder>: <reason>`.
    public var description: String { "cannot read the free space of \(folder): \(reason)" }
}
