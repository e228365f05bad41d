import Foundation
import ResponderCore
import ResponderServer
import Testing

@Suite("configuration: the retention section")
struct RetentionConfigTests {
    @Test("defaults without a section; the file and the environment set each kind, the batch and the interval")
    func read() throws {
        let defaults = try ConfigLoaderTests.loader(files: [:]).load(path: nil).retention
        #expect(defaults == RetentionPolicy())
        #expect(defaults.rawBodies == .seconds(7 * 86_400) && defaults.alerts == .seconds(30 * 86_400))
        #expect(defaults.endedRuns == .seconds(90 * 86_400) && defaults.batch == 500 && defaults.interval == .seconds(60))
        let yaml = """
            retention:
              raw_bodies: 2d
              alerts: 14d
              ended_runs: 60d
              action_links: 2d
              delivery_keys: 3d
              batch: 100
              interval: 5m
            """
        let config = try PrometheusConfigTests.load(yaml)
        #expect(config.retention.rawBodies == .seconds(2 * 86_400))
        #expect(config.retention.alerts == .seconds(14 * 86_400))
        #expect(config.retention.endedRuns == .seconds(60 * 86_400))
        #expect(config.retention.actionLinks == .seconds(2 * 86_400))
        #expect(config.retention.deliveryKeys == .seconds(3 * 86_400))
        #expect(config.retention.batch == 100 && config.retention.interval == .seconds(300))
        let overridden = try PrometheusConfigTests.load(yaml, environment: ["RESPONDER_RETENTION_RAW_BODIES": "12h",
                                                                            "RESPONDER_RETENTION_BATCH": "20"])
        #expect(overridden.retention.rawBodies == .seconds(43_200) && overridden.retention.batch == 20)
    }

    @Test("each mistake stops the server with the key and the range", arguments: [
        ("retention:\n  raw_bodies: 30m\n", "retention.raw_bodies must be from 1h to 366d"),
        ("retention:\n  alerts: 12h\n", "retention.alerts must be from 1d to 366d"),
        ("retention:\n  ended_runs: 400d\n", "retention.ended_runs must be from 1d to 366d"),
        ("retention:\n  delivery_keys: 1h\n", "retention.delivery_keys must be from 1d to 366d"),
        ("retention:\n  alerts: 30\n", "retention.alerts: invalid duration"),
        ("retention:\n  batch: 0\n", "retention.batch must be a whole number from 1 to 10,000"),
        ("retention:\n  interval: 0s\n", "retention.interval must be from 1s to 1d"),
        ("retention:\n  action_links: 2h\n", "retention.action_links (2h) must be at least links.ttl_seconds (86400s)"),
        ("retention:\n  forever: true\n", "forever"),
    ])
    func refused(_ yaml: String, _ fragment: String) {
        let problem = PrometheusConfigTests.problem(yaml)
        #expect(problem.contains(fragment), "\(problem)")
    }
}
