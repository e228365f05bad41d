import Foundation
import ResponderCore
import ResponderPlaybooks
import ResponderRuntime
import ResponderTestSupport
import Testing

/// Chat messages about a scheduled event, through the real server, its outbox and a fake Slack that enforces the Web
/// API's contract: scheduled, moved, preparation started, cancelled — each a message of its own in the channel, with
/// the event's local times when it was given a zone.
@Suite("events in chat")
struct EventAnnouncementTests {
    @Test("scheduling, moving, the start of the preparation and a cancellation are each told in Slack, in order")
    func announced() async throws {
        let set = try PlaybookLoader.load(files: [("events.yaml", EventsAPITests.playbooks)]).get()
        let clock = ManualClock(start: RunSamples.start)
        try await FakeSlack.with { slack, _ in
            try await FakePagerDuty.with { pagerDuty, _ in
                try await TestServer.with(
                    configure: NotificationsEndToEndTests.configure(slack: slack, pagerDuty: pagerDuty),
                    playbooks: { .success(set) }, clock: clock, runs: true, notifications: true
                ) { server in
                    let post = try await server.send(.POST, "/api/events", body: Array("""
                        {"playbook":"launch","name":"Friday launch","start":"2026-01-01T04:00","end":"2026-01-01T06:00",
                         "time_zone":"Europe/Berlin","actor":"alice"}
                        """.utf8), headers: EventsAPITests.admin)
                    #expect(post.status == 201, "\(post.body)")
                    let moved = try await server.send(.PATCH, "/api/events/evt-1", body: Array(#"{"end":"2026-01-01T07:00"}"#.utf8),
                                                      headers: EventsAPITests.admin)
                    #expect(moved.status == 200, "\(moved.body)")
                    await clock.waitForSleepers(2)
                    clock.advance(to: RunSamples.start.addingTimeInterval(2 * 3600))
                    try await NotificationsEndToEndTests.eventually("the preparation told") {
                        slack.messages.contains { $0.text.contains("preparation started") }
                    }
                    let cancelled = try await server.send(.DELETE, "/api/events/evt-1?actor=bob", headers: EventsAPITests.admin)
                    #expect(cancelled.status == 200)
                    try await NotificationsEndToEndTests.eventually("the cancellation told") {
                        slack.messages.contains { $0.text.contains("cancelled by bob") }
                    }
                    let texts = slack.messages.filter { $0.threadTS == nil }.map(\.text).filter { $0.hasPrefix("Event evt-1") }
                    #expect(texts.count == 4, "\(texts)")
                    #expect(texts.first?.contains("scheduled by alice: 2026-01-01T03:00:00.000Z (2026-01-01T04:00 Europe/Berlin)") == true,
                            "\(texts.first ?? "")")
                    #expect(texts.dropFirst().first?.contains("moved: now") == true && texts.dropFirst().first?.contains("07:00 Europe/Berlin") == true)
                    #expect(texts.dropFirst(2).first?.contains("preparation started") == true)
                    #expect(texts.last?.contains("its run steps down now") == true, "\(texts.last ?? "")")
                    #expect(slack.messages.allSatisfy { $0.channel == "C0RESPONDER" })
                }
            }
        }
    }
}
