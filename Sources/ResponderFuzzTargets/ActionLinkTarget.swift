import Foundation
import ResponderCore
import ResponderNotify

/// `action-links`: the signed action-link tokens of `GET`/`POST /actions/{token}` and the Slack buttons.
///
/// Input: a mode byte, then the rest. Even mode: the rest is a token as it arrives in the URL, verified against a
/// two-key ring. Odd mode: the rest is `run NUL nonce NUL seconds` — a link is signed for them (as the notifier does)
/// and verified again, and the claim must come back unchanged, with the confirmation page rendered for it.
///
/// Invariant: every link the signer issues within ``ActionLinkSigner/maxTokenLength`` verifies to its own claim.
public enum ActionLinkTarget {
    /// A ring of two keys, as during a rotation: the first signs, both verify.
    static let signer: ActionLinkSigner? = try? ActionLinkSigner(keys: [
        ActionLinkKey(id: "k2", secret: Array(repeating: 0x42, count: 32)),
        ActionLinkKey(id: "k1", secret: Array(repeating: 0x17, count: 32)),
    ])

    /// Verifies a token, or signs and verifies a claim, depending on the mode byte.
    public static func run(_ bytes: [UInt8]) throws {
        guard let mode = bytes.first, let signer else { return }
        let rest = Array(bytes.dropFirst())
        if mode & 1 == 0 {
            do {
                let claim = try signer.verify(String(decoding: rest, as: UTF8.self), now: FuzzFixtures.now)
                _ = page(for: claim)
            } catch {
                _ = (error.httpStatus, error.description)
                throw error
            }
            return
        }
        let input = FuzzInput(rest, limit: 3)
        let action = RunCommand.allCases[Int(mode >> 1) % RunCommand.allCases.count]
        let seconds = input.bytes(2).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let expiresAt = FuzzFixtures.now.addingTimeInterval(1 + TimeInterval(seconds))
        let token = signer.token(run: input.text(0), action: action, expiresAt: expiresAt, nonce: input.text(1))
        guard token.utf8.count <= ActionLinkSigner.maxTokenLength else { return }
        let claim: ActionClaim
        do {
            claim = try signer.verify(token, now: FuzzFixtures.now)
        } catch {
            throw FuzzInvariantViolation(target: "action-links", "a link the signer issued is refused: \(error)")
        }
        let expected = ActionClaim(run: input.text(0), action: action, expiresAt: expiresAt.rounded, keyID: "k2", nonce: input.text(1))
        guard claim == expected else {
            throw FuzzInvariantViolation(target: "action-links", "a link verifies to \(claim), not to the claim it was signed for")
        }
        _ = page(for: claim)
    }

    /// The confirmation page `GET /actions/{token}` shows for a verified claim.
    static func page(for claim: ActionClaim) -> String {
        let summary = ActionPage.RunSummary(id: claim.run, playbook: "fuzz", alert: "fuzz", status: .active, nextStep: nil)
        return ActionPage.confirm(claim: claim, runSummary: summary, formAction: "/actions/token")
    }
}

extension Date {
    /// The instant truncated to whole seconds, as tokens carry it.
    fileprivate var rounded: Date {
        Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down))
    }
}
