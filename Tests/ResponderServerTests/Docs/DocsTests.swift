import Foundation
import Testing

@testable import ResponderConfiguration

/// The documentation a newcomer navigates: every relative link (and its `#anchor`) resolves, and every configuration
/// key or `RESPONDER_*` variable the docs name is one the server reads, and the other way round.
@Suite struct DocsTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Markdown files people read: everything in the repository but build output, hidden folders and the
    /// third-party fixtures kept with their licences.
    static func documents() throws -> [MarkdownDocument] {
        let fm = FileManager.default
        var paths: [String] = []
        guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
        else { return [] }
        for case let url as URL in walker {
            let relative = String(url.path.dropFirst(root.path.count + 1))
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                let name = url.lastPathComponent
                if name == "Fixtures" || name == "fixtures" || name.hasPrefix("scratch") || relative == "Packages" {
                    walker.skipDescendants()
                }
                continue
            }
            if relative.hasSuffix(".md") { paths.append(relative) }
        }
        return try paths.sorted().map { try MarkdownDocument(root: root, path: $0) }
    }

    @Test func theDocsMapIsThere() throws {
        let documents = try Self.documents()
        let paths = Set(documents.map(\.path))
        for expected in ["README.md", "docs/configuration.md", "docs/http-api.md", "docs/playbooks.md", "docs/runs.md",
                         "docs/executors.md", "docs/notifications.md", "docs/deployment.md", "docs/operations.md",
                         "docs/security.md", "docs/benchmarks.md", "docs/development.md"] {
            #expect(paths.contains(expected), "missing \(expected)")
        }
        let readme = try #require(documents.first { $0.path == "README.md" })
        let linked = Set(readme.links.map(\.target))
        for document in documents where document.path.hasPrefix("docs/") && !document.path.hasPrefix("docs/images/") {
            #expect(linked.contains(document.path), "README.md's docs map does not link \(document.path)")
        }
    }

    @Test func everyRelativeLinkResolves() throws {
        let documents = try Self.documents()
        #expect(documents.count > 10)
        var anchorsByFile: [String: Set<String>] = [:]
        for document in documents { anchorsByFile[document.path] = document.anchors }
        var problems: [String] = []
        var checked = 0
        for document in documents {
            let folder = (document.path as NSString).deletingLastPathComponent
            for link in document.links {
                let target = link.target
                if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") { continue }
                checked += 1
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let file = parts[0].removingPercentEncoding ?? parts[0]
                let anchor = parts.count > 1 ? parts[1] : nil
                let resolved = file.isEmpty ? document.path : Self.normalize(folder.isEmpty ? file : folder + "/" + file)
                let where_ = "\(document.path):\(link.line): \(target)"
                guard let resolved else {
                    problems.append("\(where_): leaves the repository")
                    continue
                }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(resolved).path,
                                                     isDirectory: &isDirectory) else {
                    problems.append("\(where_): no file \(resolved)")
                    continue
                }
                if let anchor, !anchor.hasPrefix("L") {
                    guard let anchors = anchorsByFile[resolved] else {
                        problems.append("\(where_): an anchor into \(resolved), which is not a Markdown file")
                        continue
                    }
                    if !anchors.contains(anchor) { problems.append("\(where_): no heading #\(anchor) in \(resolved)") }
                }
            }
        }
        #expect(checked > 50, "only \(checked) relative links found")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// `a/./b/../c` as `a/c`; nil when it climbs out of the repository.
    static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
