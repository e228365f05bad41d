import Foundation

/// `http.url` templates rendered so that no alert value can change where a request goes.
///
/// The scheme, host and port come only from the playbook's literal text: a `${...}` there is a validation error and
/// a refused step. A value in the path is percent-encoded as one segment (`/`, `?`, `#`, `%` and every other byte
/// but the unreserved `A-Z a-z 0-9 - . _ ~` are encoded), may not be empty and may not make a segment `.` or `..`;
/// a value in the query or fragment is percent-encoded as one component, so it cannot add a parameter.
public enum URLTemplate {
    /// Longest URL a step may send.
    public static let maxLength = 8_192

    /// Where in a URL (after `scheme://`) a character is.
    enum Part { case authority, path, query, fragment }

    /// What is wrong with a playbook's URL template, for `responder validate`; empty when it is fine.
    public static func problems(_ text: String) -> [String] {
        guard let scheme = scheme(of: text) else { return ["must start with http:// or https://"] }
        var problems: [String] = []
        var part = Part.authority
        var sample = scheme
        for piece in TemplatePiece.parse(String(text.dropFirst(scheme.count))) {
            switch piece {
            case .literal(let literal):
                for byte in literal.utf8 {
                    guard isURLByte(byte) else {
                        return problems + ["contains \(describe(byte)), which a URL cannot hold as it is; percent-encode it"]
                    }
                    part = advance(part, byte)
                }
                sample += literal
            case .reference(let reference):
                if part == .authority {
                    problems.append("${\(reference)} is in the host or port: an alert value must never decide where a "
                        + "request goes; write the host literally and put values in the path or query")
                }
                sample += "x"
            }
        }
        if problems.isEmpty, URL(string: sample)?.host?.isEmpty ?? true {
            problems.append("is not a URL with a host")
        }
        return problems
    }

    /// The URL for `values`; throws when a value would change the destination or the stored template is unsafe.
    public static func render(_ text: String, values: TemplateValues) throws(TemplateRefusal) -> String {
        guard let scheme = scheme(of: text) else {
            throw .refused("http.url must start with http:// or https://")
        }
        var out = Array(scheme.utf8)
        var part = Part.authority
        var authorityBytes = 0
        var segmentStart = 0
        var segmentHasValue = false
        func closeSegment() throws(TemplateRefusal) {
            guard segmentHasValue else { return }
            let segment = out[segmentStart...]
            if segment.elementsEqual([0x2E]) || segment.elementsEqual([0x2E, 0x2E]) {
                throw .refused("http.url: an alert value makes a path segment \"\(String(decoding: segment, as: UTF8.self))\", "
                    + "which would move the request to another path")
            }
        }
        for piece in TemplatePiece.parse(String(text.dropFirst(scheme.count))) {
            switch piece {
            case .literal(let literal):
                for byte in literal.utf8 {
                    guard isURLByte(byte) else {
                        throw .refused("http.url contains \(describe(byte)), which a URL cannot hold as it is")
                    }
                    if part == .path, byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") {
                        try closeSegment()
                    }
                    let next = advance(part, byte)
                    if part == .authority, next == .authority { authorityBytes += 1 }
                    out.append(byte)
                    if next == .path, byte == UInt8(ascii: "/") {
                        segmentStart = out.count
                        segmentHasValue = false
                    }
                    part = next
                }
            case .reference(let reference):
                switch part {
                case .authority:
                    throw .refused("http.url: ${\(reference)} is in the host or port; an alert value never decides "
                        + "where a request goes")
                case .path:
                    let value = try values.value(of: reference)
                    guard !value.isEmpty else {
                        throw .refused("http.url: \(reference) is missing or empty, so the URL path would change")
                    }
                    segmentHasValue = true
                    out += percentEncoded(value)
                case .query, .fragment:
                    out += percentEncoded(try values.value(of: reference))
                }
            }
            guard out.count <= maxLength else {
                throw .refused("http.url would be longer than \(maxLength) bytes with the alert's values")
            }
        }
        if part == .path { try closeSegment() }
        guard authorityBytes > 0 else { throw .refused("http.url has no host") }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a URL may hold `byte` as it is (RFC 3986: unreserved, reserved and `%`).
    static func isURLByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("-._~:/?#[]@!$&'()*+,;=%".utf8).contains(byte)
        }
    }

    /// `"{"`, `a space`, `the byte 0x0A` for messages.
    private static func describe(_ byte: UInt8) -> String {
        if byte == 0x20 { return "a space" }
        if byte > 0x20, byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        return "the byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    /// `http://` or `https://` when `text` starts with it (the scheme is always literal: it holds no `${`).
    static func scheme(of text: String) -> String? {
        ["https://", "http://"].first { text.hasPrefix($0) }
    }

    /// Moves through the URL's parts on one literal byte: the first `/`, `?` or `#` ends the authority, `?` starts
    /// the query and `#` the fragment.
    static func advance(_ part: Part, _ byte: UInt8) -> Part {
        switch (part, byte) {
        case (.authority, UInt8(ascii: "/")): return .path
        case (.authority, UInt8(ascii: "?")), (.path, UInt8(ascii: "?")): return .query
        case (.authority, UInt8(ascii: "#")), (.path, UInt8(ascii: "#")), (.query, UInt8(ascii: "#")): return .fragment
        default: return part
        }
    }

    /// Every byte of `value` but the unreserved ones (RFC 3986, 2.3) as `%XX`.
    public static func percentEncoded(_ value: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return out
    }
}
