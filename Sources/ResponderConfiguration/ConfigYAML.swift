import Yams

/// Flattens a YAML configuration document into dotted keys, refusing unknown keys and aliases.
struct ConfigYAML {
    let file: String

    /// The document as dotted keys with their origins; throws on unknown keys, anchors and misplaced values.
    func flatten(_ text: String) throws(ConfigError) -> [String: ConfigValue] {
        // Yams holds anchors weakly: the parser must outlive the walk for `Node.anchor` to be visible.
        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: text)
            root = try parser.singleRoot()
        } catch {
            throw ConfigError("\(file): invalid YAML: \(error)")
        }
        guard let root else { return [:] }
        var out: [String: ConfigValue] = [:]
        try withExtendedLifetime(parser) { () throws(ConfigError) in
            try walk(root, prefix: "", into: &out)
        }
        return out
    }

    /// An entry of a mapping of named entries (`kubernetes.clusters`): a name a target can use, with a mapping.
    private func checkEntry(_ name: String, of section: String, key: Node, value: Node) throws(ConfigError) {
        let lowercase = Set("abcdefghijklmnopqrstuvwxyz0123456789")
        let valid = !name.isEmpty && name.count <= 63 && name.allSatisfy { lowercase.contains($0) || $0 == "-" }
            && name.first != "-" && name.last != "-"
        guard valid else {
            throw ConfigError("\(origin(key)): \(section) name \"\(name.prefix(70))\" must be 1 to 63 lower-case letters, "
                + "digits and '-', not starting or ending with '-' (playbook targets name it in `cluster:`)")
        }
        guard name != "default" else {
            throw ConfigError("\(origin(key)): \(section).default: the cluster named default is the one of kubernetes.kubeconfig, "
                + "kubernetes.context and kubernetes.in_cluster; give this one another name")
        }
        guard case .mapping(let mapping) = value, !mapping.isEmpty else {
            throw ConfigError("\(origin(key)): \(section).\(name) must be a mapping with kubeconfig (and context) or in_cluster: true")
        }
    }

    private func origin(_ node: Node) -> String {
        "\(file):\(node.mark?.line ?? 0)"
    }

    private func walk(_ node: Node, prefix: String, into out: inout [String: ConfigValue]) throws(ConfigError) {
        // Yams resolves an alias to the anchored node itself, so refusing anchors is what keeps aliases out.
        if node.anchor != nil {
            throw ConfigError("\(origin(node)): YAML anchors and aliases are not allowed in the configuration")
        }
        switch node {
        case .alias:
            throw ConfigError("\(origin(node)): YAML anchors and aliases are not allowed in the configuration")
        case .mapping(let mapping):
            for (keyNode, value) in mapping {
                guard case .scalar(let scalar) = keyNode else {
                    throw ConfigError("\(origin(keyNode)): keys must be plain strings")
                }
                let key = prefix.isEmpty ? scalar.string : "\(prefix).\(scalar.string)"
                if ConfigLoader.namedSections.contains(prefix) {
                    try checkEntry(scalar.string, of: prefix, key: keyNode, value: value)
                } else if ConfigLoader.kind(of: key) == nil, !ConfigLoader.isSection(key) {
                    throw ConfigError("\(origin(keyNode)): unknown key \"\(key)\"")
                }
                try walk(value, prefix: key, into: &out)
            }
        case .scalar(let scalar):
            // `tls:` with only comments below it, or `key: ~`, leaves the defaults in place.
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return
            }
            guard let kind = ConfigLoader.kind(of: prefix), kind != .list else {
                throw ConfigError("\(origin(node)): \"\(prefix)\" must be a mapping or a list, not a single value")
            }
            out[prefix] = .scalar(scalar.string, origin(node))
        case .sequence(let sequence):
            guard ConfigLoader.kind(of: prefix) == .list else {
                throw ConfigError("\(origin(node)): \"\(prefix)\" does not take a list")
            }
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else {
                    throw ConfigError("\(origin(item)): items of \"\(prefix)\" must be plain values")
                }
                items.append(scalar.string)
            }
            out[prefix] = .list(items, origin(node))
        }
    }
}
