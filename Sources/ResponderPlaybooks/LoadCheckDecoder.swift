import Foundation
import ResponderCore

/// Reads `gates.checks` (a list) or `gates.check` (one) of a playbook: load checks that must hold before its ladder
/// steps.
struct LoadCheckDecoder {
    /// The file being read.
    let file: String
    /// Where problems go.
    let log: ProblemLog

    private static let keys = ["name", "prometheus", "cloudwatch", "below", "above", "for", "recheck", "max_wait", "before"]
    /// Longest PromQL expression accepted.
    static let maxQueryLength = 4_096

    /// The checks of `gates`, reporting every problem.
    func decode(_ gates: Fields) -> [LoadCheck] {
        var nodes: [(YAMLNode, String)] = []
        if let one = gates.node("check") { nodes.append((one, "gates.check")) }
        if let list = gates.node("checks") {
            guard case .sequence(let items) = list.value else {
                log.add(file, list.line, "gates.checks must be a list of load checks, not \(list.kindDescription)")
                return []
            }
            nodes += items.enumerated().map { ($1, "gates.checks[\($0)]") }
        }
        return nodes.compactMap { decodeCheck($0.0, path: $0.1) }
    }

    private func decodeCheck(_ node: YAMLNode, path: String) -> LoadCheck? {
        guard let fields = Fields(node, path: path, allowed: Self.keys, file: file, log: log) else { return nil }
        let before = log.count
        let source: LoadCheck.Source?
        let defaultName: String
        switch (fields.node("prometheus"), fields.node("cloudwatch")) {
        case (.some(let prometheus), nil):
            (source, defaultName) = decodePrometheus(prometheus, fields: fields)
        case (nil, .some(let cloudwatch)):
            (source, defaultName) = decodeCloudWatch(cloudwatch, fields: fields)
        case (.some, .some):
            log.add(file, fields.lineOf("cloudwatch"), "\(path) takes prometheus or cloudwatch, not both")
            return nil
        case (nil, nil):
            log.add(file, fields.line, "\(path) needs prometheus (a PromQL expression) or cloudwatch (a metric)")
            return nil
        }
        let comparison: LoadCheck.Comparison
        let threshold: Double?
        switch (fields.has("below"), fields.has("above")) {
        case (true, false): (comparison, threshold) = (.below, number(fields, "below"))
        case (false, true): (comparison, threshold) = (.above, number(fields, "above"))
        default:
            log.add(file, fields.line, "\(path) needs exactly one of below or above (the value the metric must stay under or over)")
            return nil
        }
        let window = fields.boundedDuration("for") ?? .zero
        let recheck = fields.duration("recheck") ?? .seconds(60)
        if !(Duration.seconds(10)...Duration.seconds(3_600)).contains(recheck) {
            log.add(file, fields.lineOf("recheck"), "\(path).recheck must be 10s to 1h (not \(recheck.playbookText))")
        }
        let maxWait = fields.boundedDuration("max_wait") ?? .seconds(7_200)
        if maxWait < recheck {
            log.add(file, fields.lineOf("max_wait"), "\(path).max_wait (\(maxWait.playbookText)) must be at least its recheck (\(recheck.playbookText))")
        }
        let scope = fields.choice("before", LoadCheck.Scope.self) ?? .eachStep
        let name = fields.string("name") ?? defaultName
        guard log.count == before, let source, let threshold else { return nil }
        return LoadCheck(name: name, source: source, comparison: comparison, threshold: threshold, window: window,
                         recheck: recheck, maxWait: maxWait, scope: scope)
    }

    private func number(_ fields: Fields, _ key: String) -> Double? {
        guard let node = fields.node(key) else { return nil }
        guard let value = Fields.metricValue(node) else {
            log.add(file, node.line, "\(fields.name(key)) must be a number such as 300 or 0.75 (at most 10^15 either way)"
                + (node.plainText.map { " (not \($0))" } ?? ""))
            return nil
        }
        return value
    }

    /// `prometheus: 'sum(rate(...))'` or `prometheus: {query: ..., url: ...}`.
    private func decodePrometheus(_ node: YAMLNode, fields: Fields) -> (LoadCheck.Source?, String) {
        var query: String?
        var url: String?
        if let text = node.scalarText {
            query = text
        } else if let map = fields.mapping("prometheus", allowed: ["query", "url"]) {
            query = map.string("query", required: true)
            url = map.string("url")
            if let url, !Self.isHTTPURL(url) {
                log.add(file, map.lineOf("url"), "\(map.name("url")) must be an http(s) URL without credentials, such as http://prometheus:9090")
            }
        }
        guard let query else { return (nil, "") }
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || query.count > Self.maxQueryLength || query.contains(where: { $0 == "\0" }) {
            log.add(file, node.line, "\(fields.name("prometheus")) must be a PromQL expression of 1 to \(Self.maxQueryLength) characters")
            return (nil, "")
        }
        return (.prometheus(query: trimmed, url: url), trimmed)
    }

    /// `cloudwatch: {namespace, metric, dimensions, stat, period, region}`.
    private func decodeCloudWatch(_ node: YAMLNode, fields: Fields) -> (LoadCheck.Source?, String) {
        guard let map = fields.mapping("cloudwatch", allowed: ["namespace", "metric", "dimensions", "stat", "period", "region"]) else {
            return (nil, "")
        }
        let namespace = map.string("namespace", required: true)
        let metric = map.string("metric", required: true)
        var dimensions: [String: String] = [:]
        for pair in map.stringMap("dimensions") ?? [] { dimensions[pair.key] = pair.value ?? "" }
        if dimensions.count > 30 { log.add(file, map.lineOf("dimensions"), "\(map.name("dimensions")) may name at most 30 dimensions") }
        let stat = map.string("stat") ?? "Average"
        let period = map.duration("period") ?? .seconds(60)
        let seconds = Int(saturating: period.timeInterval)
        if !([1, 5, 10, 30].contains(seconds) || (seconds >= 60 && seconds <= 86_400 && seconds % 60 == 0)) {
            log.add(file, map.lineOf("period"), "\(map.name("period")) must be 1s, 5s, 10s, 30s or a multiple of 60s up to 1d (CloudWatch periods)")
        }
        let region = map.string("region")
        if let region, !region.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) || region.isEmpty {
            log.add(file, map.lineOf("region"), "\(map.name("region")) must be an AWS region such as eu-central-1")
        }
        guard let namespace, let metric else { return (nil, "") }
        let metricRef = CloudWatchMetric(namespace: namespace, metricName: metric, dimensions: dimensions, stat: stat,
                                         periodSeconds: seconds, region: region)
        return (.cloudWatch(metricRef), "\(namespace) \(metric) \(stat)")
    }

    /// An absolute http(s) URL with a host and no user info.
    static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil else { return false }
        return true
    }
}
