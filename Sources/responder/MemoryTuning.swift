import CMallocTuning
import Foundation

/// glibc malloc settings for a long-running server that reads bodies of up to 1 MiB. By default glibc raises its mmap
/// threshold to the largest block freed (up to 32 MiB) and keeps up to 8 arenas per core, so memory freed after a
/// large body stays in the heap: under a flood of large hostile bodies the resident size grew 23 MiB over 11,000
/// requests and kept creeping (bench/RESULTS.md). A fixed 128 KiB mmap threshold hands large blocks back to the system
/// when freed, a 256 KiB trim threshold returns the heap's free top, and one arena per core bounds the rest; the
/// resident size then stayed flat. A `MALLOC_*` variable set in the environment wins over the setting it names.
enum MemoryTuning {
    /// Applies the settings; call before the server starts its threads.
    static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if environment["MALLOC_ARENA_MAX"] == nil {
            _ = responder_mallopt("arena_max", Int32(max(2, min(ProcessInfo.processInfo.activeProcessorCount, 64))))
        }
        if environment["MALLOC_MMAP_THRESHOLD_"] == nil { _ = responder_mallopt("mmap_threshold", 128 * 1024) }
        if environment["MALLOC_TRIM_THRESHOLD_"] == nil { _ = responder_mallopt("trim_threshold", 256 * 1024) }
    }
}
