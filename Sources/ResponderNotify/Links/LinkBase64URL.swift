import Foundation

/// Base64url without padding (RFC 4648 §5), strict: only the URL-safe alphabet, no `=`, and only the canonical
/// spelling of each byte string is accepted, so one value has exactly one text form.
enum LinkBase64URL {
    /// Encodes `bytes` as unpadded base64url.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.last == "=" { text.removeLast() }
        return String(text.map { character -> Character in
            switch character {
            case "+": return "-"
            case "/": return "_"
            default: return character
            }
        })
    }

    /// Decodes unpadded base64url, or returns nil for any other spelling.
    static func decode(_ text: Substring) -> [UInt8]? {
        // A remainder of 1 can never come from whole bytes.
        guard text.utf8.count % 4 != 1 else { return nil }
        var standard = ""
        standard.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                standard.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "-"): standard.append("+")
            case UInt8(ascii: "_"): standard.append("/")
            default: return nil
            }
        }
        while standard.utf8.count % 4 != 0 { standard.append("=") }
        guard let data = Data(base64Encoded: standard) else { return nil }
        let bytes = [UInt8](data)
        // Unused trailing bits must be zero; otherwise two texts would decode to the same bytes.
        guard encode(bytes) == text else { return nil }
        return bytes
    }
}
