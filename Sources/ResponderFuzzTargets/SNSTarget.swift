import Foundation
import ResponderCore
import ResponderSNS
import X509

/// `sns`: a `POST /hooks/sns` body through the server's ``SNSDeliveryProcessor`` (parse, topic allowlist,
/// SigningCertURL policy, freshness, signature over the string to sign, classification), then the journal record and
/// the planning of a CloudWatch alarm, as the hook does.
///
/// The processor gets the SNS test vectors' certificate for any URL the policy lets through, and the clock stands at
/// the day they were signed, so the vectors verify and mutations of them exercise every later refusal.
public enum SNSTarget {
    /// Regions and topics of the test vectors; the message age allows all four of them at ``FuzzFixtures/now``.
    static let policy = SNSPolicy(
        allowedRegions: ["us-east-2"], allowedTopicArns: ["arn:aws:sns:us-east-2:295079676684:*"], maxMessageAge: 7200
    )

    /// The instant deliveries are checked at: within two hours after, and five minutes before, every vector.
    static let now = Date(timeIntervalSince1970: 1_659_048_840)  // 2022-07-28T22:54:00Z

    /// The server's processor with that policy and certificate, and no subscription confirmer (nothing is fetched).
    static let processor = SNSDeliveryProcessor(
        policy: policy, certificates: VectorCertificate(), confirmer: nil
    )

    /// Processes `bytes` as a delivery body; a refusal's status and message are built as the hook builds its answer.
    public static func run(_ bytes: [UInt8]) throws {
        // The signed text is built for every message that parses, whether or not the policy lets it through.
        if let message = try? SNSMessage.decode(bytes) { _ = message.stringToSign }
        let outcome: SNSDeliveryOutcome
        do {
            outcome = try Blocking.run { () async throws(SNSDeliveryError) -> SNSDeliveryOutcome in
                try await processor.process(body: bytes, now: now)
            }
        } catch {
            _ = (error.httpStatus, error.message)
            throw error
        }
        _ = outcome.delivery(receivedAt: now, body: String(decoding: bytes, as: UTF8.self))
        try IngestPlanning.plan(outcome.alert.map { [$0] } ?? [], now: now)
    }
}

/// Hands out the SNS test vectors' signing certificate, standing in for the directory and the fetcher.
struct VectorCertificate: SigningCertificateProvider {
    /// The certificate, parsed once; nil when the fixture is missing.
    static let certificate = try? Certificate(pemEncoded: FuzzFixtures.snsCertificatePEM)

    /// The vectors' certificate, whatever the (already policy-checked) URL.
    func certificate(for url: URL) async throws(SigningCertificateError) -> Certificate {
        guard let certificate = Self.certificate else {
            throw .notProvisioned(expectedPath: FuzzFixtures.path("fuzz/fixtures/sns"))
        }
        return certificate
    }
}
