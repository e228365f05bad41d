import Foundation
import Testing
@testable import ResponderNotify

@Suite struct SlackSignatureTests {
    private func refusal(_ verifier: SlackRequestVerifier, body: [UInt8], timestamp: String?, signature: String?,
                         now: Date) -> SlackSignatureError? {
        do {
            try verifier.verify(body: body, timestamp: timestamp, signature: signature, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func documentedVectorVerifiesAtItsOwnTimestamp() throws {
        let vector = try SlackSigningVector.load()
        try vector.verifier.verify(body: Array(vector.body.utf8), timestamp: vector.timestamp,
                                   signature: vector.expectedSignature, now: vector.now)
        // Upper-case hex is the same signature.
        let upper = "v0=" + vector.expectedSignature.dropFirst(3).uppercased()
        try vector.verifier.verify(body: Array(vector.body.utf8), timestamp: vector.timestamp, signature: upper, now: vector.now)
    }

    @Test func windowIsInclusiveAndTwoSided() throws {
        let vector = try SlackSigningVector.load()
        let body = Array(vector.body.utf8)
        for offset in [-300.0, 300] {
            try vector.verifier.verify(body: body, timestamp: vector.timestamp, signature: vector.expectedSignature,
                                       now: vector.now.addingTimeInterval(offset))
        }
        for offset in [-301.0, 301] {
            #expect(refusal(vector.verifier, body: body, timestamp: vector.timestamp, signature: vector.expectedSignature,
                            now: vector.now.addingTimeInterval(offset)) == .stale)
        }
    }

    @Test func flippedBodyByteMismatches() throws {
        let vector = try SlackSigningVector.load()
        let body = Array(vector.body.utf8)
        for index in [0, body.count / 2, body.count - 1] {
            var flipped = body
            flipped[index] ^= 0x01
            #expect(refusal(vector.verifier, body: flipped, timestamp: vector.timestamp, signature: vector.expectedSignature,
                            now: vector.now) == .mismatch)
        }
        #expect(refusal(vector.verifier, body: body + [0x26], timestamp: vector.timestamp, signature: vector.expectedSignature,
                        now: vector.now) == .mismatch)
        let wrongSecret = SlackRequestVerifier(signingSecret: Array("not-the-secret".utf8))
        #expect(refusal(wrongSecret, body: body, timestamp: vector.timestamp, signature: vector.expectedSignature,
                        now: vector.now) == .mismatch)
    }

    @Test func missingAndMalformedHeaders() throws {
        let vector = try SlackSigningVector.load()
        let body = Array(vector.body.utf8)
        let verifier = vector.verifier
        #expect(refusal(verifier, body: body, timestamp: nil, signature: vector.expectedSignature, now: vector.now) == .missing)
        #expect(refusal(verifier, body: body, timestamp: vector.timestamp, signature: nil, now: vector.now) == .missing)
        #expect(refusal(verifier, body: body, timestamp: "", signature: "", now: vector.now) == .missing)
        for bad in ["1531420618.5", "-1531420618", " 1531420618", "+1531420618", "1e9", "9999999999999"] {
            #expect(refusal(verifier, body: body, timestamp: bad, signature: vector.expectedSignature, now: vector.now) == .malformedTimestamp)
        }
        let hex = String(vector.expectedSignature.dropFirst(3))
        let short = String(hex.dropLast())
        let bad: [String] = ["v1=\(hex)", hex, "v0=\(short)", "v0=\(hex)00", "v0=\(short)g", "v0="]
        for bad in bad {
            #expect(refusal(verifier, body: body, timestamp: vector.timestamp, signature: bad, now: vector.now) == .mismatch)
        }
    }

    @Test func errorsNeverCarryTheSecretOrSignature() throws {
        let vector = try SlackSigningVector.load()
        let errors: [SlackSignatureError] = [.missing, .malformedTimestamp, .stale, .mismatch, .replayed, .replayGuardFull]
        for error in errors {
            #expect(!error.description.contains(vector.signingSecret))
            #expect(!error.description.contains(String(vector.expectedSignature.dropFirst(3).prefix(16))))
        }
    }

    @Test func replayGuardRefusesAReplayAndForgetsAfterTheWindow() async throws {
        let vector = try SlackSigningVector.load()
        let guardian = SlackReplayGuard(window: .seconds(300))
        try await guardian.admit(timestamp: vector.timestamp, signature: vector.expectedSignature, now: vector.now)
        await #expect(throws: SlackSignatureError.replayed) {
            try await guardian.admit(timestamp: vector.timestamp, signature: vector.expectedSignature, now: vector.now.addingTimeInterval(5))
        }
        await #expect(throws: SlackSignatureError.replayed) {
            try await guardian.admit(timestamp: vector.timestamp, signature: vector.expectedSignature, now: vector.now.addingTimeInterval(300))
        }
        // Another signature at the same second is another request.
        let other = "v0=" + String(repeating: "0", count: 64)
        try await guardian.admit(timestamp: vector.timestamp, signature: other, now: vector.now.addingTimeInterval(10))
        #expect(await guardian.count == 2)

        // Past the window (plus the sweep interval, a tenth of it) both are evicted; the old pair is now stale instead.
        let later = vector.now.addingTimeInterval(340)
        try await guardian.admit(timestamp: String(vector.clockForTestNow + 340), signature: other, now: later)
        #expect(await guardian.count == 1)
        await #expect(throws: SlackSignatureError.stale) {
            try await guardian.admit(timestamp: vector.timestamp, signature: vector.expectedSignature, now: later)
        }
    }

    @Test func replayGuardRefusesWhenFullRatherThanForgetting() async throws {
        let guardian = SlackReplayGuard(window: .seconds(300), capacity: 2)
        let start = 1_700_000_000
        let now = Date(timeIntervalSince1970: TimeInterval(start))
        try await guardian.admit(timestamp: String(start), signature: "v0=aa", now: now)
        try await guardian.admit(timestamp: String(start), signature: "v0=bb", now: now)
        await #expect(throws: SlackSignatureError.replayGuardFull) {
            try await guardian.admit(timestamp: String(start), signature: "v0=cc", now: now.addingTimeInterval(1))
        }
        // The first two are still refused as replays: nothing was forgotten to make room.
        await #expect(throws: SlackSignatureError.replayed) {
            try await guardian.admit(timestamp: String(start), signature: "v0=aa", now: now.addingTimeInterval(2))
        }
        let later = now.addingTimeInterval(301)
        try await guardian.admit(timestamp: String(start + 301), signature: "v0=cc", now: later)
        #expect(await guardian.count == 1)
    }
}
