import Foundation
import Testing
@testable import ResponderNotify

@Suite struct ActionLinkKeyFileTests {
    static let secretA = Data(Array(repeating: UInt8(0xA1), count: 32)).base64EncodedString()
    static let secretB = Data((0..<48).map { UInt8($0) }).base64EncodedString()

    private func parseError(_ text: String) -> ActionLinkKeyError? {
        do {
            _ = try ActionLinkKeyFile.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesKeysSkippingCommentsAndBlankLines() throws {
        let text = "# keys\n\n  k2 : \(Self.secretB)  \r\n# old one\nk1:\(Self.secretA)\n"
        let keys = try ActionLinkKeyFile.parse(text)
        #expect(keys.map(\.id) == ["k2", "k1"])
        #expect(keys[0].secret == (0..<48).map { UInt8($0) })
        #expect(keys[1].secret == Array(repeating: 0xA1, count: 32))
    }

    @Test func serializeRoundTripsGeneratedKeys() throws {
        let keys = [ActionLinkKey.generate(id: "2025-06"), ActionLinkKey.generate(id: "2025-01")]
        let text = ActionLinkKeyFile.serialize(keys)
        #expect(text.hasPrefix("#"))
        #expect(try ActionLinkKeyFile.parse(text) == keys)
        _ = try ActionLinkSigner(keys: try ActionLinkKeyFile.parse(text))
    }

    @Test func errorsNameTheLineAndNeverTheSecret() {
        let shortSecret = Data(Array(repeating: UInt8(7), count: 31)).base64EncodedString()
        let cases: [(String, ActionLinkKeyError)] = [
            ("", .empty),
            ("# only a comment\n\n", .empty),
            ("# c\n\(Self.secretA)\n", .syntax(line: 2)),
            ("k1:\n", .syntax(line: 1)),
            ("k1:\(Self.secretA)\n\nk 2:\(Self.secretB)", .invalidKeyID(line: 3)),
            (":\(Self.secretA)", .invalidKeyID(line: 1)),
            ("\(String(repeating: "k", count: 65)):\(Self.secretA)", .invalidKeyID(line: 1)),
            ("k1:\(Self.secretA)!!", .invalidSecret(line: 1)),
            ("#\nk1:\(shortSecret)", .shortSecret(line: 2, bytes: 31)),
            ("k1:\(Self.secretA)\n#\nk1:\(Self.secretB)", .duplicateKeyID(line: 3, firstLine: 1)),
        ]
        for (text, expected) in cases {
            let error = parseError(text)
            #expect(error == expected, "\(text)")
            let message = error?.description ?? ""
            for secret in [Self.secretA, Self.secretB, shortSecret] {
                #expect(!message.contains(secret))
                #expect(!message.contains(String(secret.prefix(12))))
            }
            if case .empty = expected {} else { #expect(message.contains("line ")) }
        }
    }
}
