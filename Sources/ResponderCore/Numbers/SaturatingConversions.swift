/// Conversions that clamp instead of trapping: `Int(_:)` on a Double traps on NaN, infinity and anything past
/// `Int.max`, and `Duration` arithmetic traps on overflow. Use these wherever the value may come from outside.
extension Int {
    /// `value` rounded toward zero and clamped to `Int.min...Int.max`; NaN reads as 0.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_808.0 {
            self = .max
        } else if value <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int(value)
        }
    }
}

extension Duration {
    /// `seconds` as a duration of whole milliseconds, clamped to ±`Int64.max` milliseconds; NaN reads as zero.
    public static func clampedSeconds(_ seconds: Double) -> Duration {
        .milliseconds(Int64(Int(saturating: (seconds * 1000).rounded(.down))))
    }

    /// The duration in nanoseconds, clamped to `Int64` (NIO's `TimeAmount` counts nanoseconds in an `Int64`).
    public var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !overflow2 else { return seconds < 0 ? .min : .max }
        return sum
    }
}
