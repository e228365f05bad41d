import Foundation
import ResponderCore

/// A minimal reader of the STS query API's XML answers: the `<Credentials>` of AssumeRoleWithWebIdentity and the
/// `<Error>` of an ErrorResponse. STS answers are flat and small, so the text of the first element with a given
/// name is enough; entities are decoded.
enum STSResponse {
    /// The text of the first `<name>` element in `xml`, entities decoded and trimmed.
    static func text(of name: String, in xml: Substring) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
              let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return decodeEntities(String(xml[open.upperBound..<close.lowerBound]))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The inner XML of the first `<name>` element.
    static func element(_ name: String, in xml: Substring) -> Substring? {
        guard let open = xml.range(of: "<\(name)>") ?? xml.range(of: "<\(name) "),
              let end = xml.range(of: ">", range: open.lowerBound..<xml.endIndex),
              let close = xml.range(of: "</\(name)>", range: end.upperBound..<xml.endIndex)
        else { return nil }
        return xml[end.upperBound..<close.lowerBound]
    }

    /// The credentials of an AssumeRole* answer, or nil when it has none.
    static func credentials(_ xml: String) -> AWSCredentials? {
        guard let block = element("Credentials", in: xml[...]),
              let keyId = text(of: "AccessKeyId", in: block), !keyId.isEmpty,
              let secret = text(of: "SecretAccessKey", in: block), !secret.isEmpty
        else { return nil }
        let token = text(of: "SessionToken", in: block)
        return AWSCredentials(
            accessKeyId: keyId, secretAccessKey: secret, sessionToken: token?.isEmpty == true ? nil : token,
            expiration: text(of: "Expiration", in: block).flatMap(RFC3339.parse))
    }

    /// The code and message of an ErrorResponse.
    static func error(_ xml: String) -> (code: String, message: String)? {
        guard let block = element("Error", in: xml[...]), let code = text(of: "Code", in: block) else { return nil }
        return (code, text(of: "Message", in: block) ?? "")
    }

    /// Decodes the five predefined entities and numeric character references.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    scalar = nil
                }
                if let scalar { out.unicodeScalars.append(scalar) } else { out += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
