/// The ranges every number and duration from outside (playbooks, scenarios, backends, stored runs) must fall in,
/// checked where the value enters, so later arithmetic on it can never overflow.
///
/// 100,000 replicas is far above any real workload and far from overflow: a sum or product of a few such counts
/// (a ceiling plus a step, a count times a factor of 100) stays below 10^8. 366 days covers any real schedule and
/// keeps every due time within a year of its anchor. The Playbooks README's "Ranges" section lists these.
public enum Limits {
    /// Replica counts: bounds, `scale.to`, ladder levels, autoscaler min/max, scenario counts, counts read back from
    /// Kubernetes, ECS, Application Auto Scaling, compose and command targets.
    public static let replicas: ClosedRange<Int> = 0...100_000
    /// `bounds.max_step`.
    public static let maxStep: ClosedRange<Int> = 1...100_000
    /// `scale.by` (zero is refused separately: it would do nothing).
    public static let scaleBy: ClosedRange<Int> = -100_000...100_000
    /// Largest `scale.factor` (it must also be more than 0).
    public static let maxFactor = 100.0
    /// Most levels of one target's ladder.
    public static let maxLadderLevels = 1_000
    /// Playbook and scenario durations (hold, every, lead, cooldown, dedup_window, scenario `at` and `until`).
    public static let duration: ClosedRange<Duration> = .zero ... .seconds(366 * 86_400)
    /// Longest `http.timeout` and `command.timeout` (they must also be more than 0s).
    public static let maxTimeout: Duration = .seconds(3_600)
    /// Largest magnitude of a load check's threshold and of a scenario's metric value: far beyond any request rate
    /// or queue depth, and every integer up to it is exact in a Double.
    public static let metricValue = 1e15
    /// Most attempts a stored step may record (the engine gives up after a handful).
    public static let attempts: ClosedRange<Int> = 0...1_000

    /// `0 to 100,000`: a range as messages write it.
    public static func text(_ range: ClosedRange<Int>) -> String {
        "\(grouped(range.lowerBound)) to \(grouped(range.upperBound))"
    }

    /// `0s to 366d`: a duration range as messages write it.
    public static func text(_ range: ClosedRange<Duration>) -> String {
        "\(range.lowerBound.playbookText) to \(range.upperBound.playbookText)"
    }

    /// `100000` written `100,000`.
    public static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }
}
