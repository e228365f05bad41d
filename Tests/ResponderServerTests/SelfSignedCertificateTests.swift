import Foundation
import ResponderTestSupport
import ResponderServer
import Testing
import X509

@Suite("self-signed certificate")
struct SelfSignedCertificateTests {
    static func folder() throws -> String {
        try TemporaryFolder("cert").path
    }

    @Test("generated once as ECDSA P-256 for localhost, then reused with the same fingerprint")
    func generatedThenReused() throws {
        let folder = try Self.folder()
        let first = try SelfSignedCertificate.loadOrCreate(in: folder, hostnames: ["responder.internal"])
        #expect(first.generated)
        let second = try SelfSignedCertificate.loadOrCreate(in: folder)
        #expect(!second.generated)
        #expect(second.sha256Fingerprint == first.sha256Fingerprint)
        #expect(first.sha256Fingerprint.split(separator: ":").count == 32)
        let certificate = try Certificate(pemEncoded: try String(contentsOfFile: first.certificatePath, encoding: .utf8))
        #expect(certificate.signatureAlgorithm == .ecdsaWithSHA256)
        let names = try #require(try certificate.extensions.subjectAlternativeNames)
        #expect(names.contains(.dnsName("localhost")))
        #expect(names.contains(.dnsName("responder.internal")))
        let mode = try FileManager.default.attributesOfItem(atPath: first.keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the private key is readable by its owner only")
    }

    @Test("an expired certificate is replaced")
    func expiredIsReplaced() throws {
        let folder = try Self.folder()
        let first = try SelfSignedCertificate.loadOrCreate(in: folder)
        let later = Date().addingTimeInterval(400 * 86_400)
        let renewed = try SelfSignedCertificate.loadOrCreate(in: folder, now: later)
        #expect(renewed.generated)
        #expect(renewed.sha256Fingerprint != first.sha256Fingerprint)
    }
}
