import Foundation

/// The keys file of the action-link key ring.
///
/// One key per line, `ID:BASE64SECRET` (standard base64, padding allowed); spaces around either part are ignored;
/// blank lines and lines starting with `#` are skipped. The first key signs new links and every key verifies, so a
/// rotation adds the new key as the first line and removes the old one once its links have expired.
public enum ActionLinkKeyFile {
    /// Reads the keys in file order, refusing an empty ring, bad ids, secrets under 32 bytes and duplicate ids.
    public static func parse(_ text: String) throws(ActionLinkKeyError) -> [ActionLinkKey] {
        var keys: [ActionLinkKey] = []
        var firstLineOfID: [String: Int] = [:]
        var lineNumber = 0
        // "\r\n" is a single Character in Swift, so splitting on "\n" alone would not split CRLF files.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else { throw .syntax(line: lineNumber) }
            let id = line[..<colon].trimmingCharacters(in: .whitespaces)
            let encoded = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !encoded.isEmpty else { throw .syntax(line: lineNumber) }
            guard ActionLinkKey.isValidID(id) else { throw .invalidKeyID(line: lineNumber) }
            guard let secret = Data(base64Encoded: encoded) else { throw .invalidSecret(line: lineNumber) }
            guard secret.count >= ActionLinkKey.minimumSecretLength else {
                throw .shortSecret(line: lineNumber, bytes: secret.count)
            }
            if let first = firstLineOfID[id] { throw .duplicateKeyID(line: lineNumber, firstLine: first) }
            firstLineOfID[id] = lineNumber
            keys.append(ActionLinkKey(id: id, secret: [UInt8](secret)))
        }
        guard !keys.isEmpty else { throw .empty }
        return keys
    }

    /// The file text for `keys`, with a comment explaining the format; ``parse(_:)`` reads it back.
    ///
    /// The result holds secrets: write it with mode 0600.
    public static func serialize(_ keys: [ActionLinkKey]) -> String {
        var text = """
            # Responder action-link keys: one key per line, ID:BASE64SECRET.
            # The first key signs new links; every key verifies. To rotate, add a new key as the first line
            # and remove the old one once the links it signed have expired.

            """
        for key in keys {
            text += "\(key.id):\(Data(key.secret).base64EncodedString())\n"
        }
        return text
    }
}
