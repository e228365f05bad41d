import Foundation
import ResponderCore
import ResponderServer
import Testing

@Suite("configuration: the disk section")
struct DiskConfigTests {
    @Test("defaults of 256 MiB and 10%; the file and the environment set both, 0 turns one off")
    func read() throws {
        let defaults = try ConfigLoaderTests.loader(files: [:]).load(path: nil).disk
        #expect(defaults == DiskThresholds())
        #expect(defaults.warnFreeBytes == 268_435_456 && defaults.warnFreePercent == 10)
        let yaml = "disk:\n  warn_free_bytes: 1073741824\n  warn_free_percent: 2.5\n"
        let config = try PrometheusConfigTests.load(yaml)
        #expect(config.disk.warnFreeBytes == 1 << 30 && config.disk.warnFreePercent == 2.5)
        let overridden = try PrometheusConfigTests.load(yaml, environment: ["RESPONDER_DISK_WARN_FREE_BYTES": "0",
                                                                            "RESPONDER_DISK_WARN_FREE_PERCENT": "20"])
        #expect(overridden.disk.warnFreeBytes == 0 && overridden.disk.warnFreePercent == 20)
    }

    @Test("each mistake stops the server with the key and the range", arguments: [
        ("disk:\n  warn_free_bytes: -1\n", "disk.warn_free_bytes must be a whole number from 0 to 1,125,899,906,842,624"),
        ("disk:\n  warn_free_bytes: 512MiB\n", "disk.warn_free_bytes must be a whole number"),
        ("disk:\n  warn_free_percent: 95\n", "disk.warn_free_percent must be a percentage from 0 to 90 (0 turns it off)"),
        ("disk:\n  warn_free_percent: nan\n", "disk.warn_free_percent must be a percentage from 0 to 90"),
        ("disk:\n  warn_free_percent: -5\n", "disk.warn_free_percent must be a percentage from 0 to 90"),
        ("disk:\n  full_below: 1\n", "full_below"),
    ])
    func refused(_ yaml: String, _ fragment: String) {
        let problem = PrometheusConfigTests.problem(yaml)
        #expect(problem.contains(fragment), "\(problem)")
    }
}
