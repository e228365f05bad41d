import Yams

/// Parses one playbook file into a ``YAMLNode`` tree, refusing what a playbook never needs and a hostile file relies
/// on: anchors and aliases, nesting deeper than ``maxDepth``, files larger than ``maxBytes``, non-scalar keys.
enum YAMLReader {
    /// Deepest nesting of mappings and sequences accepted.
    static let maxDepth = 64
    /// Largest file accepted (1 MiB; real playbook files are a few KiB).
    static let maxBytes = 1 << 20

    /// Why a file could not be read: 1-based line (0: the file as a whole) and message.
    struct Failure: Error {
        /// Line of the problem, 0 when none applies.
        var line: Int
        /// What is wrong.
        var message: String
    }

    /// The document's root, nil for an empty file.
    static func read(_ text: String) throws(Failure) -> YAMLNode? {
        guard text.utf8.count <= maxBytes else {
            throw Failure(line: 0, message: "the file is larger than \(maxBytes / 1024) KiB")
        }
        if let found = AliasScan.first(in: text) {
            throw Failure(line: found.line, message: "\"\(found.token)\" reads as a YAML anchor or alias, and anchors and "
                + "aliases are not allowed in playbooks (if it is text, reword or quote it)")
        }
        // Yams holds anchors weakly: the parser must outlive the walk for `Node.anchor` to be visible.
        let parser: Parser
        let root: Node?
        do {
            // An explicit encoding: `.default` consults an environment variable and prints about it.
            parser = try Parser(yaml: text, encoding: .utf8)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            throw failure(from: error)
        } catch {
            throw Failure(line: 0, message: "invalid YAML: \(error)")
        }
        guard let root else { return nil }
        return try withExtendedLifetime(parser) { () throws(Failure) -> YAMLNode in
            try convert(root, depth: 1)
        }
    }

    private static func convert(_ node: Node, depth: Int) throws(Failure) -> YAMLNode {
        let line = node.mark?.line ?? 0
        // Yams resolves an alias to the anchored node itself, so refusing anchors is what keeps aliases out.
        if node.anchor != nil {
            throw Failure(line: line, message: "YAML anchors and aliases are not allowed in playbooks")
        }
        switch node {
        case .alias:
            throw Failure(line: line, message: "YAML anchors and aliases are not allowed in playbooks")
        case .scalar(let scalar):
            return YAMLNode(value: .scalar(scalar.string, plain: scalar.style == .plain), line: line)
        case .sequence(let sequence):
            guard depth <= maxDepth else { throw tooDeep(line) }
            var items: [YAMLNode] = []
            for item in sequence {
                items.append(try convert(item, depth: depth + 1))
            }
            return YAMLNode(value: .sequence(items), line: line)
        case .mapping(let mapping):
            guard depth <= maxDepth else { throw tooDeep(line) }
            var entries: [YAMLEntry] = []
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key, key.anchor == nil else {
                    throw Failure(line: key.mark?.line ?? line, message: "mapping keys must be plain strings")
                }
                entries.append(YAMLEntry(key: scalar.string, keyLine: key.mark?.line ?? line,
                                         value: try convert(value, depth: depth + 1)))
            }
            return YAMLNode(value: .mapping(entries), line: line)
        }
    }

    private static func tooDeep(_ line: Int) -> Failure {
        Failure(line: line, message: "YAML nesting deeper than \(maxDepth) levels is not allowed in playbooks")
    }

    private static func failure(from error: YamlError) -> Failure {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            // libyaml stops at 1000 levels on its own; say what the playbook limit is.
            if problem.contains("Maximum nesting level") || (context?.text.contains("Maximum nesting level") ?? false) {
                return tooDeep(mark.line)
            }
            let during = context.map { " (\($0.text) started at line \($0.mark.line))" } ?? ""
            return Failure(line: mark.line, message: "invalid YAML: \(problem)\(during)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first of the duplicates.
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return Failure(line: context.mark.line, message: "duplicate key \(keys): a key may appear only once in a mapping")
        case .reader(let problem, _, _, _):
            return Failure(line: 0, message: "invalid YAML: \(problem)")
        default:
            return Failure(line: 0, message: "invalid YAML: \(error)")
        }
    }
}
