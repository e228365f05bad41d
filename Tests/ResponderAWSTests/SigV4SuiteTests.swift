import Foundation
import ResponderAWS
import Testing

/// The official aws-c-auth SigV4 suite: every case, header and presigned-query variants.
@Suite("AWS SigV4 official suite (aws-c-auth v4)")
struct SigV4SuiteTests {
    @Test("all 38 case folders are bundled")
    func caseCount() {
        #expect(SuiteCase.allNames.count == 38)
    }

    @Test("header variant: canonical request, string to sign, signature, Authorization", arguments: SuiteCase.allNames)
    func headerVariant(name: String) throws {
        let testCase = try SuiteCase(name: name)
        let signer = try testCase.signer()
        let request = try testCase.request()
        let date = try testCase.date()

        let canonical = signer.canonicalRequest(for: request, date: date)
        #expect(canonical == (try testCase.text("header-canonical-request.txt")))
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, date: date)
        #expect(stringToSign == (try testCase.text("header-string-to-sign.txt")))
        let signature = signer.signature(stringToSign: stringToSign, date: date)
        #expect(signature == (try testCase.text("header-signature.txt")))

        let added = try signer.sign(request, date: date)
        let signedRequest = try testCase.text("header-signed-request.txt")
        for header in added {
            #expect(signedRequest.contains("\n\(header.name):\(header.value)\n"), "\(header.name) missing")
        }
        let authorization = try #require(added.last)
        #expect(authorization.name == "Authorization")
        #expect(authorization.value.hasSuffix("Signature=\(signature)"))
    }

    @Test("query variant (presign): canonical request, string to sign, signature, URL", arguments: SuiteCase.allNames)
    func queryVariant(name: String) throws {
        let testCase = try SuiteCase(name: name)
        let signer = try testCase.signer()
        let request = try testCase.request()
        let date = try testCase.date()

        let canonical = signer.canonicalRequest(for: request, date: date, presigned: true)
        #expect(canonical == (try testCase.text("query-canonical-request.txt")))
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, date: date)
        #expect(stringToSign == (try testCase.text("query-string-to-sign.txt")))
        let signature = signer.signature(stringToSign: stringToSign, date: date)
        #expect(signature == (try testCase.text("query-signature.txt")))

        let items = try signer.presign(request, date: date)
        let last = try #require(items.last)
        #expect(last.name == "X-Amz-Signature" && last.value == signature)
        let signedRequest = try testCase.text("query-signed-request.txt")
        let requestLine = try #require(signedRequest.split(separator: "\n").first)
        for item in items {
            #expect(requestLine.contains("\(item.name)=\(item.value)"), "\(item.name) missing from URL")
        }
    }
}
