import ResponderCore

/// Building blocks of the SigV4 canonical request (encoding, path, query, headers).
enum SigV4Canonical {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Unreserved characters per RFC 3986: never encoded.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Percent-encodes every byte but the unreserved ones (and `/` when `keepSlash`).
    static func uriEncode(_ string: String, keepSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes; malformed escapes are kept literally.
    static func percentDecode(_ string: String) -> String {
        let bytes = Array(string.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = ASCIIHex.value(bytes[index + 1]), let low = ASCIIHex.value(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Removes `.` and `..` segments and empty segments, keeping a leading and a trailing slash.
    static func normalizePath(_ path: String) -> String {
        var stack: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !stack.isEmpty { stack.removeLast() }
                continue
            }
            stack.append(segment)
        }
        var result = "/" + stack.joined(separator: "/")
        let lastSegment = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        let endsInDirectory = path.hasSuffix("/") || lastSegment == "." || lastSegment == ".."
        if endsInDirectory && !stack.isEmpty { result += "/" }
        return result
    }

    /// The canonical URI of a wire path.
    static func canonicalURI(_ path: String, options: SigV4Options) -> String {
        var uri = path.isEmpty ? "/" : path
        if options.normalizePath { uri = normalizePath(uri) }
        if options.doubleURIEncode { uri = uriEncode(uri, keepSlash: true) }
        return uri
    }

    /// The canonical query string: each name and value decoded then re-encoded, sorted by name then value.
    static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
        let encoded = items.map { item in
            (uriEncode(percentDecode(item.name), keepSlash: false),
             uriEncode(percentDecode(item.value), keepSlash: false))
        }
        let sorted = encoded.sorted { lhs, rhs in
            lhs.0 == rhs.0 ? Array(lhs.1.utf8).lexicographicallyPrecedes(rhs.1.utf8)
                : Array(lhs.0.utf8).lexicographicallyPrecedes(rhs.0.utf8)
        }
        return sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Trims a header value and folds every run of whitespace (including line folds) into one space.
    static func foldValue(_ value: String) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
                || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Canonical headers (lower-cased names, sorted, repeated values joined with `,`) and the signed-headers list.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (block: String, signed: String) {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased()
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(foldValue(header.value))
        }
        let names = order.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        let block = names.map { "\($0):\((values[$0] ?? []).joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }
}
