import Foundation
import ResponderAWS
import Testing

/// Properties of the signer beyond the official suite: redaction, body sensitivity, options.
@Suite("SigV4 signer properties")
struct SigV4SignerTests {
    /// The suite's example secret.
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    /// The suite's signing time.
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    /// A signer with example credentials.
    static func signer(secret: String = secret, token: String? = "TOKEN-123") -> SigV4Signer {
        SigV4Signer(
            credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret, sessionToken: token),
            region: "us-east-1", service: "service")
    }

    @Test("the secret and token never appear in description or debug output")
    func secretRedacted() {
        let credentials = Self.signer().credentials
        for text in [credentials.description, String(describing: credentials), String(reflecting: credentials),
                     "\(credentials)"] {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains("TOKEN-123"))
            #expect(text.contains("AKIDEXAMPLE"))
        }
    }

    @Test("errors never carry the secret")
    func errorsRedacted() throws {
        let noKey = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: "", secretAccessKey: Self.secret),
            region: "us-east-1", service: "service")
        let request = SigV4Request(method: "GET", target: "/", headers: [("Host", "example.amazonaws.com")])
        let error = try #require(throws: SigV4Error.self) { try noKey.sign(request, date: Self.date) }
        #expect(error == .missingCredentials)
        #expect(!"\(error)".contains(Self.secret))
        #expect(!String(reflecting: error).contains(Self.secret))

        var bad = Self.signer()
        bad.options.expirationSeconds = 0
        let expiry = try #require(throws: SigV4Error.self) { try bad.presign(request, date: Self.date) }
        #expect(!"\(expiry)".contains(Self.secret))
    }

    @Test("changing one byte of the body changes the signature")
    func bodyByteMatters() throws {
        let body = Array("Param1=value1".utf8)
        var altered = body
        altered[altered.count - 1] ^= 0x01
        let headers: [(name: String, value: String)] = [("Host", "example.amazonaws.com")]
        let original = SigV4Request(method: "POST", target: "/", headers: headers, body: body)
        let changed = SigV4Request(method: "POST", target: "/", headers: headers, body: altered)
        let signer = Self.signer()
        let first = try #require(try signer.sign(original, date: Self.date).last)
        let second = try #require(try signer.sign(changed, date: Self.date).last)
        #expect(first.value != second.value)
        #expect(!first.value.contains(Self.secret))
    }

    @Test("the static one-call sign matches the instance method")
    func staticSign() throws {
        let request = SigV4Request(method: "GET", target: "/?a=1", headers: [("Host", "example.amazonaws.com")])
        let signer = Self.signer()
        let viaStatic = try SigV4Signer.sign(
            request, credentials: signer.credentials, region: "us-east-1", service: "service", date: Self.date)
        let viaInstance = try signer.sign(request, date: Self.date)
        #expect(viaStatic.map(\.value) == viaInstance.map(\.value))
    }

    @Test("S3 options keep an encoded path as is (no double encoding, no normalization)")
    func s3Options() {
        var signer = Self.signer(token: nil)
        signer.options = .s3
        let request = SigV4Request(method: "GET", target: "/a%20b/../c", headers: [("Host", "b.s3.amazonaws.com")])
        let canonical = signer.canonicalRequest(for: request, date: Self.date)
        #expect(canonical.split(separator: "\n", omittingEmptySubsequences: false)[1] == "/a%20b/../c")
        #expect(canonical.contains("x-amz-content-sha256:"))
    }
}
