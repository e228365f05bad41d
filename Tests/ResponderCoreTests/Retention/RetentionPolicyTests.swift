import Foundation
import ResponderCore
import Testing

@Suite("retention policy")
struct RetentionPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    @Test("each kind is cut at now minus its keep; ended runs never inside the engine's keep window")
    func cutoffs() {
        var policy = RetentionPolicy()
        #expect(policy.cutoff(.rawBodies, now: Self.now, keepEnded: .seconds(86_400)) == Self.now.addingTimeInterval(-7 * 86_400))
        #expect(policy.cutoff(.alerts, now: Self.now, keepEnded: .seconds(86_400)) == Self.now.addingTimeInterval(-30 * 86_400))
        #expect(policy.cutoff(.endedRuns, now: Self.now, keepEnded: .seconds(86_400)) == Self.now.addingTimeInterval(-90 * 86_400))
        policy.setKeep(.endedRuns, .seconds(86_400))
        #expect(policy.keep(.endedRuns) == .seconds(86_400))
        #expect(policy.cutoff(.endedRuns, now: Self.now, keepEnded: .seconds(3 * 86_400)) == Self.now.addingTimeInterval(-3 * 86_400))
    }

    @Test("every kind has a range whose floor keeps correctness, and a pass visits every kind, alerts before deliveries")
    func ranges() throws {
        for kind in RetentionKind.allCases {
            #expect(RetentionPolicy.range(kind).contains(RetentionPolicy().keep(kind)), "\(kind) default in range")
        }
        #expect(RetentionPolicy.minimum(.alerts) == .seconds(86_400) && RetentionPolicy.minimum(.deliveryKeys) == .seconds(86_400))
        #expect(Set(RetentionKind.passOrder) == Set(RetentionKind.allCases))
        let alerts = try #require(RetentionKind.passOrder.firstIndex(of: .alerts))
        let keys = try #require(RetentionKind.passOrder.firstIndex(of: .deliveryKeys))
        #expect(alerts < keys)
    }
}
