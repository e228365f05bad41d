/// A YAML node copied out of Yams' tree after the safety checks, with the 1-based line it starts on. Owning the
/// tree means decoding never touches Yams nodes (or their weak anchors) again.
struct YAMLNode {
    /// The node's content.
    enum Value {
        /// A scalar: its text, and whether it was written plain (unquoted, not a block scalar).
        case scalar(String, plain: Bool)
        /// A mapping, in document order.
        case mapping([YAMLEntry])
        /// A sequence.
        case sequence([YAMLNode])
    }

    /// The content.
    var value: Value
    /// 1-based line the node starts on.
    var line: Int

    /// True for an empty plain value, `~` or `null`: written as if the key were absent.
    var isNull: Bool {
        guard case .scalar(let text, plain: true) = value else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The text of a non-null scalar.
    var scalarText: String? {
        guard case .scalar(let text, _) = value, !isNull else { return nil }
        return text
    }

    /// The text of a non-null plain (unquoted) scalar: where numbers, booleans and keywords such as `max` live.
    var plainText: String? {
        guard case .scalar(let text, plain: true) = value, !isNull else { return nil }
        return text
    }

    /// `a mapping`, `a list`, `a string`, ... for messages about the wrong type.
    var kindDescription: String {
        switch value {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return isNull ? "empty" : "a single value"
        }
    }
}

/// One `key: value` of a mapping.
struct YAMLEntry {
    /// The key's text.
    var key: String
    /// 1-based line of the key.
    var keyLine: Int
    /// The value.
    var value: YAMLNode
}
