import Foundation
import ResponderCore

/// `gates`: a Prometheus `query_range` answer (anything a reachable server, or whoever answers on its address, can
/// send) read into samples, then decided by a load check whose comparison, threshold and window come from the first
/// bytes.
///
/// Invariant: a check only holds when the samples in its window are non-empty, finite and all on the right side of
/// its threshold; a wait always says why.
public enum GatesTarget {
    /// The instant the decision is made at (samples are placed around it by the answer's timestamps).
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Byte 0: below/above; bytes 1–2: threshold; byte 3: window in minutes; the rest: the answer body.
    public static func run(_ bytes: [UInt8]) throws {
        guard bytes.count >= 4 else { return }
        let comparison: LoadCheck.Comparison = bytes[0] & 1 == 0 ? .below : .above
        let threshold = Double(Int(bytes[1]) << 8 | Int(bytes[2])) - 1_000
        let window = Duration.seconds(Int(bytes[3]) * 60)
        let check = LoadCheck(name: "fuzz", source: .prometheus(query: "q", url: nil), comparison: comparison,
                              threshold: threshold, window: window)
        let body = Array(bytes.dropFirst(4))
        let reading = PrometheusAnswer.decode(body)?.reading() ?? .unavailable("not an answer")
        switch GateDecision.decide(check, reading: reading, now: now) {
        case .waits(let wait):
            guard !wait.reason.isEmpty else { throw FuzzInvariantViolation(target: "gates", "a wait without a reason") }
        case .holds:
            guard case .samples(let all) = reading else {
                throw FuzzInvariantViolation(target: "gates", "a check held on an unavailable reading")
            }
            let start = check.readingStart(at: now)
            let inside = all.filter { $0.at >= start && $0.at <= now }
            guard !inside.isEmpty else { throw FuzzInvariantViolation(target: "gates", "a check held without samples") }
            let considered = window > .zero ? inside : [inside.max { $0.at < $1.at } ?? inside[0]]
            if let bad = considered.first(where: { !$0.value.isFinite || !check.holds($0.value) }) {
                throw FuzzInvariantViolation(target: "gates", "a check \(comparison.rawValue) \(threshold) held with \(bad.value) in its window")
            }
        }
    }
}
