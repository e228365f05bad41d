/// Splits one fuzz input into the several values a target needs, so that libFuzzer can mutate each of them.
///
/// Parts are separated by NUL bytes: none of the formats fuzzed here (JSON, YAML, form bodies, header values,
/// tokens) can carry a raw NUL in a valid value, so a separator never hides an input the real code could get.
public struct FuzzInput: Sendable {
    /// The bytes between separators, in order; at least one (possibly empty) part.
    public let parts: [[UInt8]]

    /// Splits `bytes` into at most `limit` parts (the last one keeps any further NULs).
    public init(_ bytes: [UInt8], limit: Int) {
        parts = bytes.split(separator: 0, maxSplits: max(0, limit - 1), omittingEmptySubsequences: false).map(Array.init)
    }

    /// Part `index` as bytes, empty when the input has fewer parts.
    public func bytes(_ index: Int) -> [UInt8] {
        index < parts.count ? parts[index] : []
    }

    /// Part `index` as text; invalid UTF-8 becomes U+FFFD, as when the server decodes a body as a string.
    public func text(_ index: Int) -> String {
        String(decoding: bytes(index), as: UTF8.self)
    }

    /// Part `index` when the input has it, else nil.
    public func optionalText(_ index: Int) -> String? {
        index < parts.count ? text(index) : nil
    }

    /// `name=value` lines of part `index` as a map (a line without `=` is a name with an empty value; the last
    /// duplicate wins).
    public func pairs(_ index: Int) -> [String: String] {
        var out: [String: String] = [:]
        for line in text(index).split(separator: "\n", omittingEmptySubsequences: true) {
            let halves = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out[String(halves[0])] = halves.count > 1 ? String(halves[1]) : ""
        }
        return out
    }
}
