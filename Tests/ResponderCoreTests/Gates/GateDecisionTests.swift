import Foundation
import ResponderCore
import Testing

@Suite("GateDecision: a check holds only on samples that cover its window and all satisfy it")
struct GateDecisionTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let check = LoadCheck(name: "rate", source: .prometheus(query: "q", url: nil), comparison: .below, threshold: 300,
                                 window: .seconds(600))

    static func samples(_ values: [Double], every seconds: TimeInterval = 15, endingAt end: Date = now) -> MetricReading {
        .samples(values.enumerated().map { index, value in
            MetricSample(at: end.addingTimeInterval(-Double(values.count - 1 - index) * seconds), value: value)
        })
    }

    static func reason(_ verdict: GateVerdict) -> String? {
        if case .waits(let wait) = verdict { return wait.reason }
        return nil
    }

    @Test("every sample below over the whole window holds; one above waits with the worst value")
    func holdsAndFails() {
        let low = Array(repeating: 120.0, count: 41)
        #expect(GateDecision.decide(Self.check, reading: Self.samples(low), now: Self.now) == .holds("rate below 300 for 10m: max 120"))
        var spiky = low
        spiky[10] = 450
        spiky[20] = 380
        let verdict = GateDecision.decide(Self.check, reading: Self.samples(spiky), now: Self.now)
        #expect(Self.reason(verdict) == "450 is not below 300 (within the last 10m)")
        if case .waits(let wait) = verdict { #expect(wait.value == 450) }
    }

    @Test("nothing unknown lets a step through: no samples, NaN, a source down, a window not covered, a stale sample")
    func unknownWaits() {
        #expect(Self.reason(GateDecision.decide(Self.check, reading: .samples([]), now: Self.now))?.contains("no samples") == true)
        #expect(Self.reason(GateDecision.decide(Self.check, reading: Self.samples([100, .nan, 100]), now: Self.now))?.contains("nan") == true)
        #expect(Self.reason(GateDecision.decide(Self.check, reading: Self.samples([100, .infinity]), now: Self.now)) != nil)
        #expect(Self.reason(GateDecision.decide(Self.check, reading: .unavailable("connection refused"), now: Self.now))
                == "cannot be evaluated: connection refused")
        // Only 2 minutes of samples for a 10-minute window.
        #expect(Self.reason(GateDecision.decide(Self.check, reading: Self.samples(Array(repeating: 10, count: 9)), now: Self.now))?
            .contains("only 2m of 10m") == true)
        var latest = Self.check
        latest.window = .zero
        let old = MetricReading.samples([MetricSample(at: Self.now.addingTimeInterval(-3600), value: 1)])
        #expect(Self.reason(GateDecision.decide(latest, reading: old, now: Self.now))?.contains("no samples") == true,
                "a sample from an hour ago says nothing about now")
        #expect(GateDecision.decide(latest, reading: Self.samples([900, 10]), now: Self.now) == .holds("rate below 300: 10"))
    }

    @Test("above checks and several checks: the first that waits decides")
    func aboveAndMany() {
        var above = Self.check
        above.comparison = .above
        above.threshold = 0.5
        above.name = "healthy ratio"
        let good = Self.samples(Array(repeating: 0.9, count: 41))
        #expect(GateDecision.decide([(Self.check, good), (above, good)], now: Self.now).isWaiting == false)
        let bad = Self.samples(Array(repeating: 0.2, count: 41))
        let verdict = GateDecision.decide([(Self.check, good), (above, bad)], now: Self.now)
        #expect(Self.reason(verdict) == "0.2 is not above 0.5 (within the last 10m)")
    }

    @Test("samples outside the window (older, or from the future) are ignored")
    func outsideWindow() {
        let old = (0..<20).map { MetricSample(at: Self.now.addingTimeInterval(-3600 - Double($0)), value: 9_999) }
        let recent = (0..<41).map { MetricSample(at: Self.now.addingTimeInterval(-Double($0) * 15), value: 10) }
        let future = [MetricSample(at: Self.now.addingTimeInterval(60), value: 9_999)]
        #expect(GateDecision.decide(Self.check, reading: .samples(old + recent + future), now: Self.now).isWaiting == false)
    }
}

extension GateVerdict {
    var isWaiting: Bool { if case .waits = self { true } else { false } }
}
