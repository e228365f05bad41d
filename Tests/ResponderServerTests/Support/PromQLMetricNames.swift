import Foundation

/// The metric names a PromQL expression (or a Grafana `label_values(...)` variable query) selects: what is left once
/// strings, label matchers, range selectors and grouping clauses are dropped, minus functions, aggregations and
/// keywords. Enough for the dashboard's queries; not a PromQL parser.
enum PromQLMetricNames {
    /// Binary operators and modifiers written as words.
    static let keywords: Set<String> = ["and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN"]

    /// The metric names `expression` selects.
    static func names(in expression: String) -> Set<String> {
        if let variable = firstMatch(#"^\s*label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*,"#, in: expression) {
            return [variable]
        }
        var text = expression
        for pattern in [#""(?:[^"\\]|\\.)*""#, #"\{[^}]*\}"#, #"\[[^\]]*\]"#,
                        #"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"#] {
            text = replacing(pattern, in: text)
        }
        // A name not followed by `(` (a function or aggregation), starting where no name or number goes on.
        let identifiers = matches(#"(?<![A-Za-z0-9_:.$])([A-Za-z_:][A-Za-z0-9_:]*+)(?!\s*\()"#, in: text)
        return Set(identifiers.filter { !keywords.contains($0) })
    }

    /// The metric `name` comes from: a histogram's `_bucket`, `_sum` and `_count` series name the histogram.
    static func base(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    private static func replacing(_ pattern: String, in text: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: " ")
    }

    private static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    private static func firstMatch(_ pattern: String, in text: String) -> String? {
        matches(pattern, in: text).first
    }
}
