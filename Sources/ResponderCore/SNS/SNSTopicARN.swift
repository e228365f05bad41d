/// The parts of an SNS topic ARN, `arn:<partition>:sns:<region>:<account>:<topic>`.
public struct SNSTopicARN: Sendable, Equatable {
    /// `aws`, `aws-cn` or `aws-us-gov`.
    public var partition: String
    /// Region code, e.g. `us-east-2`.
    public var region: String
    /// 12-digit account id.
    public var account: String
    /// Topic name: letters, digits, `-`, `_` (and `.` of a `.fifo` suffix).
    public var topic: String

    /// Parses `text`; nil when it is not an SNS topic ARN.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sns",
              Self.isToken(parts[1]), Self.isToken(parts[3]),
              parts[4].count == 12, parts[4].utf8.allSatisfy(FieldText.isDigit),
              !parts[5].isEmpty, parts[5].count <= 256, FieldText.isAlphanumeric(parts[5], plus: "-_.")
        else { return nil }
        partition = parts[1]
        region = parts[3]
        account = parts[4]
        topic = parts[5]
    }

    /// Lower-case letters, digits and dashes (partition and region codes).
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { FieldText.isLower($0) || FieldText.isDigit($0) || $0 == UInt8(ascii: "-") }
    }
}
