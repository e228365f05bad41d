import Foundation
import ResponderCore
import ResponderSNS
import Testing
import X509

@Suite("SNS signature verification with the real AWS vectors")
struct SNSSignatureVerifierTests {
    private let verifier = SNSSignatureVerifier()

    private func verify(_ fields: [String: Any], now: Date = Vectors.now) throws {
        let message = try SNSMessage.decode(Vectors.body(fields))
        try verifier.verify(message, certificate: Vectors.certificate(), now: now)
    }

    @Test func vectorCertificateIsTheExpectedOne() throws {
        let certificate = try Vectors.certificate()
        #expect(certificate.subject.description.contains("CN=sns.amazonaws.com"))
        #expect(RFC3339.format(certificate.notValidBefore) == "2021-09-07T00:00:00.000Z")
        #expect(RFC3339.format(certificate.notValidAfter) == "2022-08-17T23:59:59.000Z")
    }

    @Test(arguments: 0..<4)
    func httpFixtureVerifies(index: Int) throws {
        let fields = try Vectors.httpFixtures()[index]
        try verify(fields)
    }

    @Test func fixturesCoverBothVersionsWithAndWithoutSubject() throws {
        let fixtures = try Vectors.httpFixtures()
        #expect(Set(fixtures.compactMap { $0["SignatureVersion"] as? String }) == ["1", "2"])
        #expect(fixtures.filter { $0["Subject"] != nil }.count == 2)
    }

    @Test(arguments: 0..<6)
    func lambdaFixtureVerifies(index: Int) throws {
        let fixtures = try Vectors.lambdaFixturesAsHTTP()
        try #require(fixtures.count == 6)
        try verify(fixtures[index])
    }

    @Test(arguments: 0..<4)
    func changedMessageFails(index: Int) throws {
        var fields = try Vectors.httpFixtures()[index]
        fields["Message"] = flipByte(try #require(fields["Message"] as? String), at: 0)
        try expectBadSignature(fields)
    }

    @Test(arguments: 0..<4)
    func changedMessageIdFails(index: Int) throws {
        var fields = try Vectors.httpFixtures()[index]
        fields["MessageId"] = flipByte(try #require(fields["MessageId"] as? String), at: -1)
        try expectBadSignature(fields)
    }

    @Test(arguments: 0..<4)
    func changedSignatureFails(index: Int) throws {
        var fields = try Vectors.httpFixtures()[index]
        fields["Signature"] = flipSignatureByte(try #require(fields["Signature"] as? String), at: 100)
        try expectBadSignature(fields)
    }

    @Test(arguments: 0..<4)
    func changedSubjectOrTimestampFails(index: Int) throws {
        var fields = try Vectors.httpFixtures()[index]
        if let subject = fields["Subject"] as? String {
            fields["Subject"] = subject + "!"
        } else {
            fields["Subject"] = "added"
        }
        try expectBadSignature(fields)
        var later = try Vectors.httpFixtures()[index]
        later["Timestamp"] = (later["Timestamp"] as? String)?.replacingOccurrences(of: "Z", with: "1Z")
        try expectBadSignature(later)
    }

    @Test(arguments: 0..<4)
    func wrongSignatureVersionFails(index: Int) throws {
        var fields = try Vectors.httpFixtures()[index]
        fields["SignatureVersion"] = fields["SignatureVersion"] as? String == "1" ? "2" : "1"
        try expectBadSignature(fields)
    }

    @Test(arguments: ["2021-09-06T23:59:59Z", "2022-08-18T00:00:00Z", "2030-01-01T00:00:00Z"])
    func certificateOutsideValidityFails(at time: String) throws {
        let now = try #require(RFC3339.parse(time))
        let error = #expect(throws: IngestError.self) { try verify(Vectors.httpFixtures()[0], now: now) }
        guard case .badSignature(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.contains("not valid at"))
    }

    @Test func unexpectedCommonNameFails() throws {
        let strict = SNSSignatureVerifier(acceptedCommonNames: ["sns.example.com"])
        let message = try SNSMessage.decode(Vectors.body(Vectors.httpFixtures()[0]))
        let error = #expect(throws: IngestError.self) {
            try strict.verify(message, certificate: Vectors.certificate(), now: Vectors.now)
        }
        guard case .badSignature(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.contains("sns.amazonaws.com") && text.contains("not one of the accepted names"))
    }

    private func expectBadSignature(_ fields: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = #expect(throws: IngestError.self, sourceLocation: sourceLocation) { try verify(fields) }
        guard case .badSignature(let text) = error else {
            Issue.record("wrong error \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(text.hasPrefix("SNS signature does not verify"), sourceLocation: sourceLocation)
    }
}
