#if RESPONDER_FUZZ
import Foundation
import ResponderFuzzTargets

// The libFuzzer entry points. libFuzzer owns `main` and argv (flags and corpus folders), so the target is chosen by
// the RESPONDER_FUZZ_TARGET environment variable, which `-jobs`/`-fork` workers inherit too.

/// The target of this process, fixed by ``LLVMFuzzerInitialize``.
nonisolated(unsafe) private var selected: FuzzTarget?

/// Picks the target named by `RESPONDER_FUZZ_TARGET`; `list` prints `name max_len summary` lines and exits 0, an
/// unknown or missing name prints them to stderr and exits 2.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    let name = ProcessInfo.processInfo.environment["RESPONDER_FUZZ_TARGET"] ?? ""
    let listing = FuzzTargets.all.map { "\($0.name) \($0.maxLength) \($0.summary)" }.joined(separator: "\n") + "\n"
    if name == "list" {
        FileHandle.standardOutput.write(Data(listing.utf8))
        exit(0)
    }
    guard let target = FuzzTargets.named(name) else {
        FileHandle.standardError.write(Data("set RESPONDER_FUZZ_TARGET to one of (name max_len summary):\n\(listing)".utf8))
        exit(2)
    }
    selected = target
    return 0
}

/// Runs one input through the selected target: refusals are ignored, a broken invariant stops the fuzzer as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = selected else { return 0 }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let violation = target.check(bytes) {
        fatalError("invariant broken in \(violation.target): \(violation.description)")
    }
    return 0
}
#else
import Foundation
import ResponderFuzzTargets

/// Without the fuzzer (a plain `swift build`): replays files through a target, to reproduce a crash with the Swift
/// runtime's own backtrace. `responder-fuzz list` lists the targets; `responder-fuzz TARGET FILE...` runs each file
/// and prints what became of it (ok, refused with the error, or a broken invariant).
@main
struct ReplayMain {
    /// Replays the files named on the command line; exits 1 when one broke an invariant or could not be read.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, name != "list", let target = FuzzTargets.named(name) else {
            let usage = "usage: responder-fuzz TARGET FILE...\ntargets:\n"
                + FuzzTargets.all.map { "  \($0.name) (max \($0.maxLength) bytes): \($0.summary)" }.joined(separator: "\n") + "\n"
            let known = arguments.first == nil || arguments.first == "list"
            FileHandle.standardError.write(Data(usage.utf8))
            exit(known ? 0 : 2)
        }
        var broken = false
        for file in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): cannot read")
                broken = true
                continue
            }
            do {
                try target.run(Array(data))
                print("\(file): ok")
            } catch {
                print("\(file): \(error is FuzzInvariantViolation ? "INVARIANT BROKEN" : "refused"): \(error)")
                broken = broken || error is FuzzInvariantViolation
            }
        }
        exit(broken ? 1 : 0)
    }
}
#endif
