import Foundation

/// A JSON value for the fake API server's stored objects, with RFC 7386 merge patch and the subset of Kubernetes
/// strategic merge patch the fake needs (lists merged by `name`, `$patch: delete`).
enum FakeJSON: Sendable, Equatable, Codable, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([FakeJSON])
    case object([String: FakeJSON])

    init(dictionaryLiteral elements: (String, FakeJSON)...) { self = .object(Dictionary(uniqueKeysWithValues: elements)) }
    init(arrayLiteral elements: FakeJSON...) { self = .array(elements) }
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(nilLiteral: ()) { self = .null }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([FakeJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: FakeJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    static func parse(_ bytes: [UInt8]) -> FakeJSON? {
        try? JSONDecoder().decode(FakeJSON.self, from: Data(bytes))
    }

    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("null".utf8), as: UTF8.self)
    }

    subscript(key: String) -> FakeJSON? {
        get {
            guard case .object(let object) = self else { return nil }
            return object[key]
        }
        set {
            guard case .object(var object) = self else { return }
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The value at a dotted path (`spec.template.spec`).
    subscript(path path: String) -> FakeJSON? {
        path.split(separator: ".").reduce(Optional(self)) { value, key in value?[String(key)] }
    }

    var string: String? { if case .string(let value) = self { return value } else { return nil } }
    var int: Int? { if case .int(let value) = self { return value } else { return nil } }
    var array: [FakeJSON]? { if case .array(let value) = self { return value } else { return nil } }
    var object: [String: FakeJSON]? { if case .object(let value) = self { return value } else { return nil } }

    /// RFC 7386: objects merge recursively, null removes a key, anything else (lists included) replaces.
    func mergePatched(with patch: FakeJSON) -> FakeJSON {
        guard case .object(let changes) = patch else { return patch }
        var result = object ?? [:]
        for (key, value) in changes {
            // Not `result[key] = nil`: FakeJSON is nil-literal expressible, so that would store .null.
            if value == .null {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).mergePatched(with: value)
            }
        }
        return .object(result)
    }

    /// Lists whose items strategic merge patch merges by `name` (as `patchMergeKey:"name"` in k8s.io/api).
    static let mergeByName: Set<String> = ["containers", "initContainers", "env", "volumes", "volumeMounts"]

    struct UnsupportedDirective: Error {
        var directive: String
    }

    /// Strategic merge: like a merge patch, except lists in ``mergeByName`` merge item by item on `name`, and an item
    /// with `$patch: delete` removes the item of that name.
    func strategicMerged(with patch: FakeJSON) throws -> FakeJSON {
        guard case .object(let changes) = patch else { return patch }
        var result = object ?? [:]
        for (key, value) in changes {
            if key.hasPrefix("$") {
                throw UnsupportedDirective(directive: key)
            }
            if value == .null {
                result.removeValue(forKey: key)
            } else if Self.mergeByName.contains(key), case .array(let items) = value {
                result[key] = .array(try Self.mergeList(result[key]?.array ?? [], items))
            } else {
                result[key] = try (result[key] ?? .null).strategicMerged(with: value)
            }
        }
        return .object(result)
    }

    private static func mergeList(_ current: [FakeJSON], _ patch: [FakeJSON]) throws -> [FakeJSON] {
        var items = current
        for item in patch {
            guard let name = item["name"]?.string else {
                items.append(item)
                continue
            }
            let index = items.firstIndex { $0["name"]?.string == name }
            if let directive = item["$patch"] {
                guard directive == "delete" else { throw UnsupportedDirective(directive: "$patch: \(directive.text)") }
                if let index { items.remove(at: index) }
                continue
            }
            if let index {
                items[index] = try items[index].strategicMerged(with: item)
            } else {
                items.append(try FakeJSON.null.strategicMerged(with: item))
            }
        }
        return items
    }
}
