// Field ownership of the fake Kubernetes API (a fake, not the real API server), recorded the way the real server
// records it for non-apply writes (kubernetes.io, "Server-Side Apply", field management): every PATCH is an `Update`
// of its field manager (the `fieldManager` query parameter, else the User-Agent up to its first "/"); the fields
// whose value it changed move to that manager's entry (manager + operation + subresource) and leave every other
// manager's entry; removed fields leave every entry; an entry left with no fields is dropped. Field sets are
// FieldsV1 trees: `f:<field>` for object fields, `k:{"name":"..."}` for items of lists merged by name (with `.` for
// the item itself), `{}` for a leaf. The fake tracks ownership at leaf granularity, which is what tests assert.
import Foundation

/// How the fake API server records, validates and reads field managers.
enum FakeManagedFields {
    /// Fields no manager owns: bookkeeping of the server itself, and status (written through its own subresource).
    static let unowned: Set<[String]> = [["f:metadata", "f:managedFields"], ["f:metadata", "f:resourceVersion"],
                                         ["f:metadata", "f:generation"], ["f:status"]]

    /// The real server's rule (ValidatePatchOptions): at most 128 bytes, every character printable (Go's
    /// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space). Nil when valid.
    static func problem(_ manager: String) -> String? {
        if manager.utf8.count > 128 {
            return "fieldManager: Too long: may not be more than 128 bytes"
        }
        for (position, scalar) in manager.unicodeScalars.enumerated() where !printable(scalar) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            return "fieldManager: Invalid value: \(FakeJSON.string(manager).text): invalid character "
                + "U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code) (at position \(position))"
        }
        return nil
    }

    private static func printable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// `updated` with `metadata.managedFields` recording an Update by `manager` that turned `old` into `updated`.
    static func record(old: FakeJSON, updated: FakeJSON, manager: String, apiVersion: String, subresource: String?,
                       time: Date) -> FakeJSON {
        let before = leaves(of: old)
        let after = leaves(of: updated)
        let changed = Set(after.keys.filter { before[$0] != after[$0] })
        let removed = Set(before.keys).subtracting(after.keys)
        var entries: [FakeJSON] = []
        var mine: Set<[String]> = []
        for entry in old[path: "metadata.managedFields"]?.array ?? [] {
            let owned = paths(of: entry["fieldsV1"] ?? [:])
            if entry["manager"]?.string == manager, entry["operation"] == "Update", entry["subresource"]?.string == subresource {
                mine = owned
                continue
            }
            var kept = entry
            let left = owned.subtracting(changed).subtracting(removed)
            guard !left.isEmpty else { continue }
            kept["fieldsV1"] = tree(left)
            entries.append(kept)
        }
        mine = mine.union(changed).subtracting(removed)
        if !mine.isEmpty {
            let timestamp = ISO8601DateFormatter().string(from: time)
            var entry: FakeJSON = [
                "manager": .string(manager), "operation": "Update", "apiVersion": .string(apiVersion),
                "time": .string(timestamp), "fieldsType": "FieldsV1", "fieldsV1": tree(mine),
            ]
            if let subresource {
                entry["subresource"] = .string(subresource)
            }
            entries.append(entry)
        }
        var result = updated
        result["metadata"]?["managedFields"] = .array(entries)
        return result
    }

    /// The managers whose entries hold `path` (`["f:spec", "f:replicas"]`), with their operation and subresource.
    static func owners(of path: [String], in object: FakeJSON) -> [String] {
        (object[path: "metadata.managedFields"]?.array ?? []).compactMap { entry in
            guard paths(of: entry["fieldsV1"] ?? [:]).contains(path), let manager = entry["manager"]?.string else { return nil }
            return manager
        }
    }

    /// Every leaf of `value` as a FieldsV1 path, with its value.
    static func leaves(of value: FakeJSON, at prefix: [String] = [], in list: String? = nil) -> [[String]: FakeJSON] {
        if unowned.contains(prefix) {
            return [:]
        }
        switch value {
        case .object(let fields) where !fields.isEmpty:
            var result: [[String]: FakeJSON] = [:]
            for (key, field) in fields {
                result.merge(leaves(of: field, at: prefix + ["f:\(key)"], in: key)) { first, _ in first }
            }
            return result
        case .array(let items) where list.map(FakeJSON.mergeByName.contains) == true
            && items.allSatisfy({ $0["name"]?.string != nil }):
            var result: [[String]: FakeJSON] = [:]
            for item in items {
                let key = prefix + ["k:" + FakeJSON.object(["name": item["name"] ?? .null]).text]
                result[key + ["."]] = [:]
                result.merge(leaves(of: item, at: key)) { first, _ in first }
            }
            return result
        default:
            return [prefix: value]
        }
    }

    /// A FieldsV1 tree as its set of leaf paths.
    static func paths(of tree: FakeJSON, at prefix: [String] = []) -> Set<[String]> {
        guard let fields = tree.object, !fields.isEmpty else { return [prefix] }
        return fields.reduce(into: Set<[String]>()) { result, field in
            result.formUnion(paths(of: field.value, at: prefix + [field.key]))
        }
    }

    /// A set of leaf paths as a FieldsV1 tree.
    static func tree(_ paths: Set<[String]>) -> FakeJSON {
        var root: FakeJSON = [:]
        for path in paths {
            root = inserting(path[...], into: root)
        }
        return root
    }

    private static func inserting(_ path: ArraySlice<String>, into node: FakeJSON) -> FakeJSON {
        guard let head = path.first else { return node }
        var copy = node
        copy[head] = inserting(path.dropFirst(), into: node[head] ?? [:])
        return copy
    }
}
