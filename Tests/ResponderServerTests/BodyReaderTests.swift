import ResponderCore
@testable import ResponderServer
import Testing

@Suite("declared body sizes")
struct BodyReaderTests {
    @Test("a Content-Length of any number of digits is compared with the cap without overflow", arguments: [
        ("0", true), ("1024", true), ("1025", false), ("0000000000000000000000001024", true),
        ("9223372036854775807", false), ("9223372036854775808", false), ("18446744073709551615", false),
        ("99999999999999999999999999999999999999", false),
    ])
    func fits(_ text: String, _ fits: Bool) throws {
        #expect(try BodyReader.fits(contentLength: text, limit: 1_024) == fits)
    }

    @Test("a cap of Int.max does not overflow either")
    func largestCap() throws {
        #expect(try BodyReader.fits(contentLength: "9223372036854775807", limit: .max))
        #expect(try !BodyReader.fits(contentLength: "9223372036854775808", limit: .max))
    }

    @Test("anything but digits is a 400 naming Content-Length", arguments: ["", "-1", "12abc", "1, 1", " 5", "+5", "0x10"])
    func malformed(_ text: String) {
        #expect {
            _ = try BodyReader.fits(contentLength: text, limit: 1_024)
        } throws: { error in
            guard let error = error as? IngestError else { return false }
            return error.httpStatus == 400 && error.message.hasPrefix("Content-Length: must be one whole number of bytes")
        }
    }
}
