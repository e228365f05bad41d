import Foundation
import Yams

/// The playbook files found in the playbooks folder, parsed as YAML (aliases refused, so a YAML bomb fails fast).
public struct PlaybookDirectory: Sendable, Equatable {
    /// The folder read.
    public var path: String
    /// Files that parsed, relative to `path`, sorted.
    public var files: [String]

    /// Creates a value describing an already-loaded folder.
    public init(path: String, files: [String]) {
        self.path = path
        self.files = files
    }

    /// Reads every `*.yaml` / `*.yml` file directly in `path`; throws `ConfigError` naming the first bad file.
    public static func load(_ path: String) throws(ConfigError) -> PlaybookDirectory {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ConfigError("\(path): cannot read the playbooks folder (set playbooks_dir or --playbooks)")
        }
        var files: [String] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let file = (path as NSString).appendingPathComponent(name)
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ConfigError("\(file): cannot read the file")
            }
            // Yams holds anchors weakly: the parser must outlive the check for `Node.anchor` to be visible.
            let parser: Parser
            let node: Node?
            do {
                parser = try Parser(yaml: text)
                node = try parser.singleRoot()
            } catch {
                throw ConfigError("\(file): invalid YAML: \(error)")
            }
            let line = withExtendedLifetime(parser) { node.flatMap { firstAlias(in: $0, depth: 0) } }
            if let line {
                throw ConfigError("\(file):\(line): YAML anchors, aliases and nesting deeper than 64 levels are not allowed in playbooks")
            }
            files.append(name)
        }
        return PlaybookDirectory(path: path, files: files)
    }

    /// Line of the first alias (or of nesting deeper than 64 levels), if any.
    private static func firstAlias(in node: Node, depth: Int) -> Int? {
        // Yams resolves an alias to the anchored node itself, so an anchor is what marks a possible alias.
        if depth > 64 || node.anchor != nil { return node.mark?.line ?? 0 }
        switch node {
        case .alias: return node.mark?.line ?? 0
        case .scalar: return nil
        case .sequence(let sequence):
            for item in sequence {
                if let line = firstAlias(in: item, depth: depth + 1) { return line }
            }
            return nil
        case .mapping(let mapping):
            for (key, value) in mapping {
                if let line = firstAlias(in: key, depth: depth + 1) ?? firstAlias(in: value, depth: depth + 1) {
                    return line
                }
            }
            return nil
        }
    }
}
