import Metrics
import NIOConcurrencyHelpers
import Prometheus
import ResponderCore

/// The server's Prometheus registry and the metrics it records, created through swift-metrics with an explicit
/// factory so each server instance (and each test) has its own registry.
public final class ResponderMetrics: Sendable {
    /// The registry `GET /metrics` renders.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let inFlight = NIOLockedValueBox<[String: Int]>([:])
    /// Every scope and direction paused since the process started (and the global one, so a dashboard always has a
    /// series), so a lifted pause's gauges go to 0 rather than keep their last value.
    let pauseKeys = NIOLockedValueBox<Set<PauseKey>>([PauseKey(scope: "global", direction: "both")])
    /// The store's footprint as retention last read it; a scrape turns it into gauges without reading the store, so
    /// `/metrics` answers at once even when the store does not.
    let footprint = NIOLockedValueBox<StoreFootprint?>(nil)

    /// Creates a fresh registry.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5),
        ]
        factory.valueHistogramBuckets["responder_timer_lateness_seconds"] = Self.latenessBuckets
        factory.durationHistogramBuckets["responder_step_duration_seconds"] = Self.stepDurationBuckets
        self.factory = factory
        registerSeries()
    }

    /// Counts one delivery by source (`alertmanager`, `sns`) and outcome (`accepted`, `duplicate`, `rejected`,
    /// `unavailable`).
    public func delivery(source: String, outcome: String) {
        Counter(
            label: "responder_deliveries_total",
            dimensions: [("source", source), ("outcome", outcome)],
            factory: factory
        ).increment()
    }

    /// Counts alerts newly journaled (not duplicates) by source.
    public func alertsRecorded(source: String, count: Int) {
        guard count > 0 else { return }
        Counter(
            label: "responder_alerts_recorded_total",
            dimensions: [("source", source)],
            factory: factory
        ).increment(by: count)
    }

    /// Records the latency of one HTTP request by route and status code.
    public func request(route: String, method: String, status: Int, duration: Duration) {
        Metrics.Timer(
            label: "responder_http_request_duration_seconds",
            dimensions: [("route", route), ("method", method), ("status", String(status))],
            factory: factory
        ).record(duration: duration)
    }

    /// A request to `route` began: `responder_http_requests_in_flight{route}` counts it until ``requestEnded(route:)``
    /// (a scrape of `/metrics` sees itself).
    public func requestStarted(route: String) {
        let count = inFlight.withLockedValue { counts in
            counts[route, default: 0] += 1
            return counts[route, default: 0]
        }
        Gauge(label: "responder_http_requests_in_flight", dimensions: [("route", route)], factory: factory).record(count)
    }

    /// A request to `route` was answered (or failed).
    public func requestEnded(route: String) {
        let count = inFlight.withLockedValue { counts in
            counts[route, default: 0] = max(0, counts[route, default: 0] - 1)
            return counts[route, default: 0]
        }
        Gauge(label: "responder_http_requests_in_flight", dimensions: [("route", route)], factory: factory).record(count)
    }

    /// Prometheus text exposition of every metric.
    public func render() -> String {
        registry.emitToString()
    }
}
