import Foundation
import Logging
import Testing

@testable import ResponderServer

/// During an outage every delivery is refused: the error is logged once a minute with a count, not once per delivery.
@Suite struct RepeatedErrorLogTests {
    @Test("the first refusal is logged at once, the next ones in the minute are counted and named on the next line")
    func oncePerWindow() {
        let log = RecordedLog()
        let logger = Logger(label: "t") { _ in RecordingLogHandler(log: log) }
        let repeated = RepeatedErrorLog(window: 60)
        let start = Date(timeIntervalSince1970: 1_000_000)
        for second in 0..<59 {
            repeated.error("journal unavailable", metadata: [:], on: logger, now: start.addingTimeInterval(TimeInterval(second)))
        }
        #expect(log.entries.map(\.message) == ["journal unavailable"])
        #expect(log.entries.first?.level == .error)
        repeated.error("journal unavailable", metadata: [:], on: logger, now: start.addingTimeInterval(60))
        #expect(log.entries.map(\.message) == ["journal unavailable", "journal unavailable (and 58 more since the last line)"])
        repeated.error("journal unavailable", metadata: [:], on: logger, now: start.addingTimeInterval(200))
        #expect(log.entries.last?.message == "journal unavailable", "nothing was left out since the last line")
    }

    @Test("a clock that went back logs at once instead of staying silent")
    func clockBack() {
        let log = RecordedLog()
        let logger = Logger(label: "t") { _ in RecordingLogHandler(log: log) }
        let repeated = RepeatedErrorLog(window: 60)
        let start = Date(timeIntervalSince1970: 1_000_000)
        repeated.error("x", metadata: [:], on: logger, now: start)
        repeated.error("x", metadata: [:], on: logger, now: start.addingTimeInterval(-3_600))
        #expect(log.entries.count == 2)
    }
}
