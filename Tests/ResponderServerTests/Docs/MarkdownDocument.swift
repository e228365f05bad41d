import Foundation

/// A Markdown file read the way GitHub renders it, as far as links go: its links (outside code), its headings'
/// anchors, and its inline code spans.
struct MarkdownDocument {
    /// Path relative to the repository root, for messages.
    let path: String
    /// The file's lines.
    let lines: [String]

    /// A link found in the text: where it points, and the line it is on.
    struct Link {
        /// The target as written (`docs/x.md#y`, `#y`, `https://…`).
        let target: String
        /// 1-based line number.
        let line: Int
    }

    /// Reads `path` under `root`.
    init(root: URL, path: String) throws {
        self.path = path
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        lines = text.components(separatedBy: "\n")
    }

    /// Lines outside fenced code blocks, with their 1-based numbers.
    var proseLines: [(number: Int, text: String)] {
        var inFence = false
        var out: [(Int, String)] = []
        for (index, line) in lines.enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
                continue
            }
            if !inFence { out.append((index + 1, line)) }
        }
        return out
    }

    /// Every `[text](target)` and `<img src="target">` outside code.
    var links: [Link] {
        var found: [Link] = []
        let markdown = try? NSRegularExpression(pattern: #"\]\(([^)\s]+)(?:\s+"[^"]*")?\)"#)
        let image = try? NSRegularExpression(pattern: #"<img[^>]*\ssrc="([^"]+)""#)
        for (number, line) in proseLines {
            let text = Self.removingCodeSpans(line)
            let range = NSRange(text.startIndex..., in: text)
            for regex in [markdown, image].compactMap({ $0 }) {
                for match in regex.matches(in: text, range: range) {
                    if let target = Range(match.range(at: 1), in: text) {
                        found.append(Link(target: String(text[target]), line: number))
                    }
                }
            }
        }
        return found
    }

    /// The anchors GitHub gives this file's headings (`## Under load: what…` → `under-load-what…`), with `-1`,
    /// `-2` suffixes for repeated headings.
    var anchors: Set<String> {
        var seen: [String: Int] = [:]
        var out: Set<String> = []
        for (_, line) in proseLines where line.hasPrefix("#") {
            let hashes = line.prefix { $0 == "#" }
            guard hashes.count <= 6, line.dropFirst(hashes.count).first == " " else { continue }
            let slug = Self.slug(String(line.dropFirst(hashes.count + 1)))
            let count = seen[slug, default: 0]
            seen[slug] = count + 1
            out.insert(count == 0 ? slug : "\(slug)-\(count)")
        }
        return out
    }

    /// Every inline code span outside fenced blocks (`` `a.b` `` gives `a.b`).
    var codeSpans: [(line: Int, text: String)] {
        var out: [(Int, String)] = []
        for (number, line) in proseLines {
            let parts = line.components(separatedBy: "`")
            guard parts.count >= 3 else { continue }
            for index in stride(from: 1, to: parts.count - 1, by: 2) {
                out.append((number, parts[index]))
            }
        }
        return out
    }

    /// GitHub's heading slug: lower case; letters, digits, spaces, `-` and `_` kept; spaces become `-`.
    static func slug(_ heading: String) -> String {
        let lowered = heading.trimmingCharacters(in: .whitespaces).lowercased()
        var out = ""
        for character in lowered {
            if character == " " {
                out.append("-")
            } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
                out.append(character)
            }
        }
        return out
    }

    /// The line without its inline code spans, so a link written as code is not a link.
    private static func removingCodeSpans(_ line: String) -> String {
        let parts = line.components(separatedBy: "`")
        return stride(from: 0, to: parts.count, by: 2).map { parts[$0] }.joined(separator: " ")
    }
}
