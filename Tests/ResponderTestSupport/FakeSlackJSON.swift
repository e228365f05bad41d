import Foundation

/// A parsed JSON value, as the local fakes (``FakeSlack``, ``FakePagerDuty``) record request bodies.
public enum FakeJSON: Sendable, Equatable, Decodable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([FakeJSON])
    /// An object.
    case object([String: FakeJSON])

    /// Parses `bytes`, nil when they are not JSON.
    public static func parse(_ bytes: [UInt8]) -> FakeJSON? {
        try? JSONDecoder().decode(FakeJSON.self, from: Data(bytes))
    }

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([FakeJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: FakeJSON].self)) }
    }

    /// The member `key` of an object.
    public subscript(key: String) -> FakeJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The element `index` of an array.
    public subscript(index: Int) -> FakeJSON? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    /// The string, if this is one.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var array: [FakeJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members, if this is an object.
    public var object: [String: FakeJSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The boolean, if this is one.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// Compact JSON text (keys sorted).
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        case .string(let value): return FakeJSON.quote(value)
        case .array(let items): return "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { "\(FakeJSON.quote($0)):\(members[$0]?.description ?? "null")" }
                .joined(separator: ",") + "}"
        }
    }

    /// `text` as a JSON string literal.
    public static func quote(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(text) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }
}
