import Foundation
import Yams

/// The playbook files found in the playbooks folder, parsed as YAML (aliases refused, so a YAML bomb fails fast).
public struct PlaybookDirectory: Sendable, Equatable {
    /// The folder read.
    public var path: String
    /// Files that parsed, relative to `path`, sorted.
    public var files: [String]

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
            let node: Node?
            do { node = try Yams.compose(yaml: text) } catch {
                throw ConfigError("\(file): invalid YAML: \(error)")
            }
            if let node, let alias = firstAlias(in: node, depth: 0) {
                throw ConfigError("\(file):\(alias): YAML aliases and deep nesting are not allowed in playbooks")
            }
            files.append(name)
        }
        return PlaybookDirectory(path: path, files: files)
    }

    /// Line of the first alias (or of nesting deeper than 64 levels), if any.
    private static func firstAlias(in node: Node, depth: Int) -> Int? {
        if depth > 64 { return node.mark?.line ?? 0 }
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
