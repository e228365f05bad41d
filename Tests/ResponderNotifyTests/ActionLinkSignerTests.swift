import Foundation
import ResponderCore
import Testing
@testable import ResponderNotify

@Suite struct ActionLinkSignerTests {
    static let old = ActionLinkKey(id: "k1", secret: Array(repeating: 0x11, count: 32))
    static let new = ActionLinkKey(id: "k2", secret: Array(repeating: 0x22, count: 32))
    static let expiry = Date(timeIntervalSince1970: 1_790_000_000)
    static let before = Date(timeIntervalSince1970: 1_789_999_000)

    private func signer(_ keys: [ActionLinkKey] = [old]) throws -> ActionLinkSigner {
        try ActionLinkSigner(keys: keys)
    }

    private func refusal(_ signer: ActionLinkSigner, _ token: String, now: Date = before) -> ActionTokenError? {
        do {
            _ = try signer.verify(token, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func tokenRoundTrips() throws {
        let signer = try signer()
        for action in RunCommand.allCases {
            let token = signer.token(run: "run-1", action: action, expiresAt: Self.expiry, nonce: "n0nce")
            let claim = try signer.verify(token, now: Self.before)
            #expect(claim == ActionClaim(run: "run-1", action: action, expiresAt: Self.expiry, keyID: "k1", nonce: "n0nce"))
            #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        }
    }

    @Test func claimsAreTheDocumentedCanonicalJSON() throws {
        let token = try signer().token(run: "run-1", action: .ack, expiresAt: Self.expiry.addingTimeInterval(0.9), nonce: "abc")
        let claimsPart = try #require(token.split(separator: ".").first)
        let claims = try #require(LinkBase64URL.decode(claimsPart))
        #expect(String(decoding: claims, as: UTF8.self) == #"{"a":"ack","exp":1790000000,"kid":"k1","n":"abc","r":"run-1"}"#)
    }

    @Test func hostileRunIDsRoundTripWithoutAmbiguity() throws {
        let signer = try signer()
        let runs = [#"run","r":"other"#, "run\u{0}\n\"\\.", "ρun-✓", #"{"a":"abort"}"#]
        var tokens = Set<String>()
        for run in runs {
            let token = signer.token(run: run, action: .ack, expiresAt: Self.expiry, nonce: #"n","a":"abort"#)
            let claim = try signer.verify(token, now: Self.before)
            #expect(claim.run == run)
            #expect(claim.action == .ack)
            #expect(claim.nonce == #"n","a":"abort"#)
            tokens.insert(token)
        }
        #expect(tokens.count == runs.count)
    }

    @Test func everyByteFlipIsRefusedAsTampered() throws {
        let signer = try signer()
        let token = signer.token(run: "run-1", action: .abort, expiresAt: Self.expiry, nonce: "n")
        let dot = try #require(token.firstIndex(of: "."))
        let parts = [String(token[..<dot]), String(token[token.index(after: dot)...])]
        for (which, part) in parts.enumerated() {
            let raw = try #require(LinkBase64URL.decode(Substring(part)))
            for index in raw.indices {
                for bit in [UInt8(0x01), 0x80] {
                    var flipped = raw
                    flipped[index] ^= bit
                    let encoded = LinkBase64URL.encode(flipped)
                    let altered = which == 0 ? encoded + "." + parts[1] : parts[0] + "." + encoded
                    #expect(refusal(signer, altered) == .tampered, "part \(which) byte \(index) bit \(bit)")
                }
            }
        }
    }

    @Test func unknownKeyIDIsTampered() throws {
        let stranger = try ActionLinkSigner(keys: [ActionLinkKey(id: "k9", secret: Array(repeating: 0x99, count: 32))])
        let token = stranger.token(run: "run-1", action: .ack, expiresAt: Self.expiry, nonce: "n")
        #expect(refusal(try signer(), token) == .tampered)
        // Same secret under another id: the kid inside the MAC'd claims no longer matches the key that verified it.
        let renamed = try ActionLinkSigner(keys: [ActionLinkKey(id: "k7", secret: Self.old.secret)])
        let renamedToken = renamed.token(run: "run-1", action: .ack, expiresAt: Self.expiry, nonce: "n")
        #expect(refusal(try signer(), renamedToken) == .tampered)
    }

    @Test func rotationNewKeySignsOldKeyStillVerifies() throws {
        let before = try signer([Self.old])
        let oldToken = before.token(run: "run-1", action: .hold, expiresAt: Self.expiry, nonce: "n")
        let rotated = try signer([Self.new, Self.old])
        #expect(rotated.signingKeyID == "k2")
        #expect(try rotated.verify(oldToken, now: Self.before).keyID == "k1")
        let newToken = rotated.token(run: "run-1", action: .hold, expiresAt: Self.expiry, nonce: "n")
        #expect(try rotated.verify(newToken, now: Self.before).keyID == "k2")
        #expect(refusal(before, newToken) == .tampered)
        #expect(refusal(try signer([Self.new]), oldToken) == .tampered)
    }

    @Test func expiryBoundary() throws {
        let signer = try signer()
        let token = signer.token(run: "run-1", action: .resume, expiresAt: Self.expiry, nonce: "n")
        #expect(try signer.verify(token, now: Self.expiry.addingTimeInterval(-1)).run == "run-1")
        #expect(refusal(signer, token, now: Self.expiry) == .expired)
        #expect(refusal(signer, token, now: Self.expiry.addingTimeInterval(1)) == .expired)
        #expect(ActionTokenError.expired.httpStatus == 410)
        #expect(ActionTokenError.tampered.httpStatus == 403)
        #expect(ActionTokenError.malformed.httpStatus == 403)
    }

    @Test func macIsCheckedBeforeExpiry() throws {
        let signer = try signer()
        let token = signer.token(run: "run-1", action: .ack, expiresAt: Self.expiry, nonce: "n")
        let forged = String(token.dropLast()) + (token.last == "A" ? "B" : "A")
        // Long expired and forged: the forgery is what is reported.
        #expect(refusal(signer, forged, now: Self.expiry.addingTimeInterval(86_400)) == .tampered)
    }

    @Test func overlongAndGarbageTokensAreRefusedQuickly() throws {
        let signer = try signer()
        let valid = signer.token(run: "run-1", action: .ack, expiresAt: Self.expiry, nonce: "n")
        let garbage = [
            "", ".", "abc", "abc.", ".abc", "a.b.c", valid + ".x", valid + "=", valid.replacingOccurrences(of: ".", with: ".."),
            "eyJ+.abc", "!!!!.????", "e30.AAAA", valid + "A", "e30." + String(repeating: "B", count: 43),
        ]
        for token in garbage {
            #expect(refusal(signer, token) == .malformed, "\(token)")
        }
        // Well-formed but unsigned: refused on the MAC, its claims never read.
        #expect(refusal(signer, String(repeating: "A", count: 43) + "." + String(repeating: "A", count: 43)) == .tampered)
        let clock = ContinuousClock()
        let huge = String(repeating: "A", count: 10_000_000) + "." + String(repeating: "B", count: 43)
        let elapsed = clock.measure { #expect(refusal(signer, huge) == .malformed) }
        #expect(elapsed < .milliseconds(50))
        #expect(refusal(signer, String(repeating: "x", count: ActionLinkSigner.maxTokenLength + 1)) == .malformed)
    }

    @Test func ringIsValidated() {
        #expect(throws: ActionLinkKeyError.empty) { try ActionLinkSigner(keys: []) }
        #expect(throws: ActionLinkKeyError.shortSecret(line: 2, bytes: 31)) {
            try ActionLinkSigner(keys: [Self.old, ActionLinkKey(id: "k2", secret: Array(repeating: 1, count: 31))])
        }
        #expect(throws: ActionLinkKeyError.invalidKeyID(line: 1)) {
            try ActionLinkSigner(keys: [ActionLinkKey(id: "k 1", secret: Self.old.secret)])
        }
        #expect(throws: ActionLinkKeyError.duplicateKeyID(line: 2, firstLine: 1)) { try ActionLinkSigner(keys: [Self.old, Self.old]) }
    }

    @Test func generatedKeysAreRandomAndNeverPrinted() throws {
        let first = ActionLinkKey.generate(id: "k1")
        let second = ActionLinkKey.generate(id: "k1")
        #expect(first.secret.count == 32)
        #expect(first.secret != second.secret)
        let base64 = Data(first.secret).base64EncodedString()
        var dumped = ""
        dump(first, to: &dumped)
        for text in [first.description, first.debugDescription, "\(first)", "\([first])", dumped, String(reflecting: first)] {
            #expect(!text.contains(base64))
            #expect(!text.contains("\(first.secret)"))
            #expect(text.contains("k1"))
        }
        #expect(!ActionLinkSigner.makeNonce().isEmpty)
        #expect(ActionLinkSigner.makeNonce() != ActionLinkSigner.makeNonce())
    }
}
