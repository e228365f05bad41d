/// Why an action-link key ring (or its keys file) was refused.
///
/// Messages name the line and never echo its content: a mistyped line may hold a secret.
/// `line` is the 1-based line of the keys file, or the 1-based position in the array given to ``ActionLinkSigner``.
public enum ActionLinkKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No key at all.
    case empty
    /// The line is not `ID:BASE64SECRET`.
    case syntax(line: Int)
    /// The id is empty, longer than 64 bytes, or uses characters outside `A-Z a-z 0-9 . _ -`.
    case invalidKeyID(line: Int)
    /// The secret is not standard base64.
    case invalidSecret(line: Int)
    /// The secret decodes to fewer than 32 bytes.
    case shortSecret(line: Int, bytes: Int)
    /// The id was already used by an earlier key.
    case duplicateKeyID(line: Int, firstLine: Int)

    /// What is wrong and how to fix it.
    public var description: String {
        switch self {
        case .empty:
            return "action link keys: no key; add a line ID:BASE64SECRET (or delete the file to have one generated)"
        case .syntax(let line):
            return "action link keys, line \(line): expected ID:BASE64SECRET"
        case .invalidKeyID(let line):
            return "action link keys, line \(line): the key id must be 1 to \(ActionLinkKey.maximumIDLength) characters of A-Z a-z 0-9 . _ -"
        case .invalidSecret(let line):
            return "action link keys, line \(line): the secret is not valid base64"
        case .shortSecret(let line, let bytes):
            return "action link keys, line \(line): the secret has \(bytes) bytes; at least \(ActionLinkKey.minimumSecretLength) are required"
        case .duplicateKeyID(let line, let firstLine):
            return "action link keys, line \(line): the key id is already used on line \(firstLine)"
        }
    }
}
