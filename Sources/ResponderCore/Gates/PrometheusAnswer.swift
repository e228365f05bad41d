import Foundation

/// The JSON answer of Prometheus's `/api/v1/query_range`, read defensively: values are strings (`"NaN"`, `"+Inf"`
/// included), timestamps seconds since 1970 as numbers.
public struct PrometheusAnswer: Decodable, Sendable {
    /// One `[timestamp, "value"]` pair.
    public struct Point: Decodable, Sendable {
        /// Seconds since 1970.
        public var at: Double
        /// The value as Prometheus wrote it.
        public var value: String

        /// Reads `[timestamp, "value"]`.
        public init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            at = try container.decode(Double.self)
            value = try container.decode(String.self)
        }
    }

    /// One series of a matrix.
    public struct Series: Decodable, Sendable {
        /// The points, in Prometheus's order.
        public var values: [Point]?
    }

    /// The `data` object.
    public struct Payload: Decodable, Sendable {
        /// `matrix` for a range query.
        public var resultType: String?
        /// The series.
        public var result: [Series]?
    }

    /// `success` or `error`.
    public var status: String?
    /// The result, on success.
    public var data: Payload?
    /// `bad_data`, `timeout`, `execution`… on error.
    public var errorType: String?
    /// Prometheus's error text.
    public var error: String?

    /// Reads an answer body strictly (``StrictJSON``); nil when it is not Prometheus's JSON API answer.
    public static func decode(_ body: [UInt8]) -> PrometheusAnswer? {
        try? StrictJSON().decode(PrometheusAnswer.self, from: body)
    }

    /// Timestamps outside this range (seconds since 1970) are refused rather than turned into dates.
    public static let plausibleSeconds: ClosedRange<Double> = 0...32_503_680_000

    /// The reading this answer gives, or the text of an unusable answer.
    public func reading() -> MetricReading {
        if status != "success" {
            let kind = errorType.map { "\(Self.clip($0)): " } ?? ""
            return .unavailable("Prometheus answered an error: \(kind)\(error.map(Self.clip) ?? "no error text")")
        }
        guard let data, let result = data.result else {
            return .unavailable("Prometheus answered success without data.result")
        }
        guard data.resultType == "matrix" else {
            return .unavailable("Prometheus answered a \(Self.clip(data.resultType ?? "missing")) result, expected a matrix")
        }
        if result.count > 1 {
            return .unavailable("the query returned \(result.count) series; a load check needs one (wrap it in sum(...) or max(...))")
        }
        guard let series = result.first else { return .samples([]) }
        var samples: [MetricSample] = []
        for point in series.values ?? [] {
            guard point.at.isFinite, Self.plausibleSeconds.contains(point.at) else {
                return .unavailable("Prometheus answered an implausible timestamp \(point.at)")
            }
            guard let value = Self.number(point.value) else {
                return .unavailable("Prometheus answered a value that is not a number: \"\(Self.clip(point.value))\"")
            }
            samples.append(MetricSample(at: Date(timeIntervalSince1970: point.at), value: value))
        }
        return .samples(samples.sorted { $0.at < $1.at })
    }

    /// Prometheus's value text as a number: decimals, exponents, `NaN`, `+Inf`, `-Inf`.
    public static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return text.utf8.count <= 64 ? Double(text) : nil
        }
    }

    /// Outside text cut to a readable length.
    public static func clip(_ text: String) -> String {
        text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
