import ResponderCore

/// `metrics:` of a scenario: the values load checks read over virtual time.
extension ScenarioDecoder {
    /// Reads `metrics:` (a list of `{check: NAME, values: [{at: 0s, value: 420}, {at: 2h, value: down}]}`).
    func decodeMetrics(_ top: Fields, until: Duration?) -> [MetricSeries] {
        guard let node = top.node("metrics") else { return [] }
        guard case .sequence(let items) = node.value else {
            top.problem(node.line, "metrics must be a list of {check, values}, not \(node.kindDescription)")
            return []
        }
        return items.enumerated().compactMap { index, item in
            let path = "metrics[\(index)]"
            guard let fields = Fields(item, path: path, allowed: ["check", "values"], file: file, log: log) else { return nil }
            let check = fields.string("check", required: true)
            guard let list = fields.node("values", required: true) else { return nil }
            guard case .sequence(let values) = list.value, !values.isEmpty else {
                fields.problem(list.line, "\(path).values must be a non-empty list of {at, value}")
                return nil
            }
            var points: [(at: Duration, value: Double?)] = []
            for (position, value) in values.enumerated() {
                let pointPath = "\(path).values[\(position)]"
                guard let point = Fields(value, path: pointPath, allowed: ["at", "value"], file: file, log: log),
                      let at = point.boundedDuration("at", required: true) else { continue }
                if let last = points.last, at <= last.at {
                    point.problem(point.lineOf("at"), "\(pointPath).at (\(at.playbookText)) must be later than the point before it")
                }
                if let until, at > until {
                    point.problem(point.lineOf("at"), "\(pointPath).at (\(at.playbookText)) is after until (\(until.playbookText))")
                }
                guard let valueNode = point.node("value", required: true) else { continue }
                if valueNode.plainText == "down" {
                    points.append((at, nil))
                } else if let number = Fields.metricValue(valueNode) {
                    points.append((at, number))
                } else {
                    point.problem(valueNode.line, "\(pointPath).value must be a number (at most 10^15 either way) or down"
                        + (valueNode.plainText.map { " (not \($0))" } ?? ""))
                }
            }
            guard let check else { return nil }
            return MetricSeries(check: check, points: points, line: fields.line)
        }
    }
}
