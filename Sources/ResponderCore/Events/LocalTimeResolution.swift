import Foundation

/// What a wall-clock reading means in one time zone: one instant, two (clocks went back and the hour repeats), or
/// none (clocks jumped forward over it).
///
/// Found with `TimeZone.secondsFromGMT(for:)` alone, rather than `Calendar.date(from:)`, because what the calendar does
/// with a reading in a gap (move it forward by the gap's length, or to the transition) is not the same on every
/// platform and Foundation version, and events must name exactly one rule.
public enum LocalTimeResolution: Equatable, Sendable {
    /// The reading happens once, at this instant.
    case unique(Date)
    /// The reading happens twice: first at `earlier` (UTC offset `earlierOffset` seconds), again at `later`.
    case repeated(earlier: Date, later: Date, earlierOffset: Int, laterOffset: Int)
    /// The reading never happens: at `transition` the offset changed from `offsetBefore` to `offsetAfter` seconds and
    /// the wall clock skipped from `transition + offsetBefore` to `transition + offsetAfter`.
    case skipped(transition: Date, offsetBefore: Int, offsetAfter: Int)

    /// The first instant at or after the reading: the only one, the first of two, or the end of the gap (the
    /// transition itself, e.g. 03:00 CEST for 02:30 on the spring-forward day in Europe/Berlin).
    public var firstInstant: Date {
        switch self {
        case .unique(let instant): instant
        case .repeated(let earlier, _, _, _): earlier
        case .skipped(let transition, _, _): transition
        }
    }

    /// Resolves `local` in `zone`.
    public static func resolve(_ local: LocalDateTime, in zone: TimeZone) -> LocalTimeResolution {
        let wall = local.wallSeconds
        func offset(_ seconds: Int) -> Int {
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        // An instant t shows `wall` when t + offset(t) == wall. The offsets two days either side are the candidates:
        // no zone changes its offset twice within four days, except for long-gone histories the second round covers.
        var candidates: [Int] = []
        func add(_ value: Int) {
            if !candidates.contains(value) { candidates.append(value) }
        }
        add(offset(wall - 2 * 86_400))
        add(offset(wall + 2 * 86_400))
        var valid = candidates.filter { offset(wall - $0) == $0 }
        if valid.isEmpty {
            for candidate in candidates { add(offset(wall - candidate)) }
            valid = candidates.filter { offset(wall - $0) == $0 }
        }
        let byInstant = valid.sorted(by: >)
        if let first = byInstant.first, let last = byInstant.last {
            guard first != last else { return .unique(date(wall - first)) }
            return .repeated(earlier: date(wall - first), later: date(wall - last), earlierOffset: first, laterOffset: last)
        }
        guard let smallest = candidates.min(), let largest = candidates.max(), smallest != largest else {
            // Only a zone that changes its offset and changes it back within two days gets here.
            return .unique(date(wall - (candidates.first ?? 0)))
        }
        // Before the jump the clock runs on the smaller offset, after it on the larger: the transition lies between
        // the instants the wall reading would be with either offset. Transitions fall on whole seconds.
        var low = wall - largest
        var high = wall - smallest
        let before = offset(low)
        guard offset(high) != before else { return .unique(date(wall - smallest)) }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(middle) == before { low = middle } else { high = middle }
        }
        return .skipped(transition: date(high), offsetBefore: before, offsetAfter: offset(high))
    }

    /// The wall-clock reading of `instant` in `zone`, or nil outside the years 1970–9999 or for a non-finite instant.
    public static func local(of instant: Date, in zone: TimeZone) -> LocalDateTime? {
        let seconds = instant.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, abs(seconds) < 1e12 else { return nil }
        return LocalDateTime(wallSeconds: Int(seconds) + zone.secondsFromGMT(for: instant))
    }

    private static func date(_ seconds: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
