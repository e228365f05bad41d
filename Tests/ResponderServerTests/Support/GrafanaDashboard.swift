import Foundation

/// `deploy/grafana/responder-dashboard.json`, read as plain JSON: its panels' queries and its variables.
struct GrafanaDashboard {
    /// The whole dashboard object.
    let object: [String: Any]

    /// The repository's `deploy/grafana/`.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/grafana").path

    /// Reads the dashboard file.
    init() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/responder-dashboard.json"))
        object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Every panel, those inside collapsed rows included.
    var panels: [[String: Any]] {
        let top = object["panels"] as? [[String: Any]] ?? []
        return top + top.flatMap { $0["panels"] as? [[String: Any]] ?? [] }
    }

    /// Every query of every panel, with the panel's title.
    var queries: [(panel: String, expr: String)] {
        panels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).compactMap { target in
                (target["expr"] as? String).map { (panel["title"] as? String ?? "?", $0) }
            }
        }
    }

    /// The template variables.
    var variables: [[String: Any]] {
        (object["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
    }

    /// The queries of the query variables (`label_values(...)`).
    var variableQueries: [String] {
        variables.compactMap { variable in
            guard variable["type"] as? String == "query" else { return nil }
            return variable["definition"] as? String ?? ((variable["query"] as? [String: Any])?["query"] as? String)
        }
    }

    /// Every metric name the dashboard's queries and variables select.
    var metricNames: Set<String> {
        (queries.map(\.expr) + variableQueries).reduce(into: Set<String>()) { $0.formUnion(PromQLMetricNames.names(in: $1)) }
    }

    /// `expr` as Prometheus takes it: Grafana's variables replaced by what they would be (every instance, a minute).
    static func evaluable(_ expr: String) -> String {
        expr.replacingOccurrences(of: "$__rate_interval", with: "1m")
            .replacingOccurrences(of: "$__interval", with: "15s")
            .replacingOccurrences(of: "$__range", with: "1h")
            .replacingOccurrences(of: "${instance}", with: ".*")
            .replacingOccurrences(of: "$instance", with: ".*")
    }
}
