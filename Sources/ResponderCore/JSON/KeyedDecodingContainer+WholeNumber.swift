extension KeyedDecodingContainer {
    /// A whole number in `range`, nil when the key is absent or null. It is read as a `Double`, so a value too long
    /// for `Int` (`99999999999999999999`) or with a fraction is refused naming its key, instead of failing the whole
    /// body; a number beyond `Double` itself (`1e400`) is refused by the decoder before this is reached.
    func decodeWholeNumber(forKey key: Key, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = try decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "must be a whole number from \(Limits.text(range)) (not \(Self.text(of: value)))")
        }
        return Int(value)
    }

    /// `1e+20`, `2.5` or `-3`: a number as the message shows it.
    private static func text(of value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
