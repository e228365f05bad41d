/// Integer arithmetic that clamps at the ends of `Int` instead of trapping. The planner works with values the loaders
/// already bounded (replicas up to 100,000, durations up to 366 days), but it is a pure function anyone can call with
/// anything, and Swift traps on overflow: these keep a bad value a wrong number, clamped by the target's bounds, rather
/// than a crash.
enum SaturatingArithmetic {
    /// `a + b`, clamped.
    static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `a - b`, clamped.
    static func subtract(_ a: Int, _ b: Int) -> Int {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b < 0 ? .max : .min) : difference
    }

    /// `a * b`, clamped.
    static func multiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) == (b < 0) ? .max : .min) : product
    }

    /// `value` rounded up to a whole number, clamped to `Int` (NaN counts as 0).
    static func roundedUp(_ value: Double) -> Int {
        guard !value.isNaN else { return 0 }
        let rounded = value.rounded(.up)
        // Double(Int.max) is 2^63, one past Int.max: anything at or beyond it clamps.
        if rounded >= Double(Int.max) { return .max }
        if rounded <= Double(Int.min) { return .min }
        return Int(rounded)
    }

    /// A duration's whole seconds as `Int`, clamped.
    static func seconds(_ duration: Duration) -> Int {
        Int(clamping: duration.components.seconds)
    }
}
