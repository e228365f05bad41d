import Foundation
import ResponderCore

/// Reads playbook files into a ``PlaybookSet``, strictly: every problem of every file is reported, with its line.
public enum PlaybookLoader {
    /// Reads every `*.yaml` / `*.yml` file directly in `directory` (not its subfolders), in name order. Problems name
    /// files as `directory/name`; the set's `files` are the bare names. With `clusters` (the names the configuration
    /// knows), a Kubernetes target on another cluster is a problem at its `cluster:` line.
    public static func load(directory: String, clusters: Set<String>? = nil) -> Result<PlaybookSet, PlaybookProblems> {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            return .failure(PlaybookProblems([PlaybookProblem(location: FileLocation(file: directory, line: 0),
                                                              message: "cannot read the playbooks folder")]))
        }
        var files: [(name: String, text: String)] = []
        var unreadable: [PlaybookProblem] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            // Checked before reading so a huge file is never loaded into memory.
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            guard size <= YAMLReader.maxBytes else {
                unreadable.append(PlaybookProblem(location: FileLocation(file: path, line: 0),
                                                  message: "the file is larger than \(YAMLReader.maxBytes / 1024) KiB"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                unreadable.append(PlaybookProblem(location: FileLocation(file: path, line: 0), message: "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                unreadable.append(PlaybookProblem(location: FileLocation(file: path, line: 0), message: "the file is not UTF-8 text"))
                continue
            }
            files.append((path, text))
        }
        switch load(files: files, clusters: clusters) {
        case .success(var set):
            guard unreadable.isEmpty else { return .failure(PlaybookProblems(unreadable)) }
            set.files = set.files.map { ($0 as NSString).lastPathComponent }
            return .success(set)
        case .failure(let problems):
            return .failure(PlaybookProblems(unreadable + problems.problems))
        }
    }

    /// Reads the given files (name as it should appear in messages, and text) as one set; `clusters` as in
    /// ``load(directory:clusters:)``.
    public static func load(
        files: [(name: String, text: String)], clusters: Set<String>? = nil
    ) -> Result<PlaybookSet, PlaybookProblems> {
        let log = ProblemLog()
        var targets: [TargetDecoder.Decoded] = []
        var playbooks: [PlaybookDecoder.Decoded] = []
        let sorted = files.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }.map(\.element)
        for file in sorted {
            let root: YAMLNode?
            do {
                root = try YAMLReader.read(file.text)
            } catch {
                log.add(file.name, error.line, error.message)
                continue
            }
            guard let root else { continue }
            let allowed = ["targets", "playbooks"]
            guard let top = Fields(root, path: "", what: "a playbook file", allowed: allowed, file: file.name, log: log) else {
                continue
            }
            let targetDecoder = TargetDecoder(file: file.name, log: log, clusters: clusters)
            targets += items(top, "targets").map(targetDecoder.decode)
            let playbookDecoder = PlaybookDecoder(file: file.name, log: log)
            playbooks += items(top, "playbooks").map(playbookDecoder.decode)
        }
        let checker = ReferenceChecker(log: log)
        checker.uniqueNames(targets.map { ($0.name, $0.nameLine, $0.location) }, what: "target")
        checker.uniqueNames(playbooks.map { ($0.name, $0.nameLine, $0.location) }, what: "playbook")
        var loaded: [String: Target] = [:]
        for target in targets.compactMap(\.target) where loaded[target.name] == nil {
            loaded[target.name] = target
        }
        checker.check(playbooks.flatMap(\.references), declared: Set(targets.compactMap(\.name)), targets: loaded)
        guard log.problems.isEmpty else {
            let order = Dictionary(sorted.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
            let problems = log.problems.enumerated().sorted { lhs, rhs in
                let left = (order[lhs.element.location.file] ?? 0, lhs.element.location.line, lhs.offset)
                let right = (order[rhs.element.location.file] ?? 0, rhs.element.location.line, rhs.offset)
                return left < right
            }
            return .failure(PlaybookProblems(problems.map(\.element)))
        }
        return .success(PlaybookSet(targets: loaded, playbooks: playbooks.compactMap(\.playbook), files: sorted.map(\.name)))
    }

    /// The items of a top-level list (`targets:` or `playbooks:`).
    private static func items(_ top: Fields, _ key: String) -> [YAMLNode] {
        guard let node = top.node(key) else { return [] }
        guard case .sequence(let items) = node.value else {
            top.problem(node.line, "\(key) must be a list, not \(node.kindDescription)")
            return []
        }
        return items
    }
}
