import Foundation
import Hummingbird
import NIOCore
import ResponderConfiguration
import ResponderCore
import ResponderRuntime
@testable import ResponderServer
import ResponderStore
import ResponderTestSupport
import Testing

/// The status page's upcoming-events section without a server: the time left in words, what each status counts down
/// to, which events are listed, escaping, and the page's answer while the event store is down.
@Suite("status page events")
struct StatusPageEventsTests {
    static let now = RunSamples.start

    /// An event of the `launch` playbook with a 1 h lead, its times in seconds from ``now``.
    static func event(_ id: String, start: TimeInterval, end: TimeInterval, name: String = "launch day", prepared: Bool = false,
                      cancelled: Bool = false) -> ScheduledEvent {
        ScheduledEvent(id: id, playbook: "launch", name: name, start: now + start, end: now + end, prepareAt: now + start - 3600,
                       scheduledBy: "test", createdAt: now - 86_400, preparedAt: prepared ? now - 60 : nil,
                       cancelledAt: cancelled ? now - 60 : nil)
    }

    @Test("the time left: seconds under a minute, then whole minutes rounded up, hours, days")
    func timeLeft() {
        #expect(StatusPage.timeLeft(0) == nil && StatusPage.timeLeft(-5) == nil)
        #expect(StatusPage.timeLeft(0.2) == "1 s")
        #expect(StatusPage.timeLeft(42) == "42 s")
        #expect(StatusPage.timeLeft(60) == "1 min")
        #expect(StatusPage.timeLeft(61) == "2 min", "rounded up: never less than is left")
        #expect(StatusPage.timeLeft(25 * 60) == "25 min")
        #expect(StatusPage.timeLeft(2 * 3600) == "2 h")
        #expect(StatusPage.timeLeft(3 * 3600 + 12 * 60) == "3 h 12 min")
        #expect(StatusPage.timeLeft(23 * 3600 - 1) == "23 h")
        #expect(StatusPage.timeLeft(28 * 3600) == "1 d 4 h")
        #expect(StatusPage.timeLeft(2 * 86_400) == "2 d")
    }

    @Test("each status counts down to its next change: preparation, start, end")
    func countdowns() {
        func text(_ event: ScheduledEvent, _ status: EventStatus) -> String {
            StatusPage.countdown(event, status: status, now: Self.now).text(now: Self.now)
        }
        #expect(text(Self.event("evt-1", start: 4 * 3600 + 12 * 60, end: 6 * 3600), .scheduled) == "prepares in 3 h 12 min")
        #expect(text(Self.event("evt-2", start: 30 * 60, end: 3600), .scheduled) == "preparation due, starts in 30 min")
        #expect(text(Self.event("evt-3", start: 25 * 60, end: 3600, prepared: true), .preparing) == "starts in 25 min")
        #expect(text(Self.event("evt-4", start: -3600, end: 2 * 3600, prepared: true), .live) == "live, ends in 2 h")
        #expect(text(Self.event("evt-5", start: -3600, end: -60, prepared: true), .steppingDown) == "ended, stepping down")
        let live = StatusPage.countdown(Self.event("evt-4", start: -3600, end: 2 * 3600, prepared: true), status: .live, now: Self.now)
        #expect(live.target == Self.now + 2 * 3600 && live.text(now: Self.now + 2 * 3600) == "ended")
    }

    @Test("listed: events not cancelled and not done that end after now, soonest start first, at most 20")
    func listed() {
        let later = Self.event("evt-1", start: 5 * 3600, end: 6 * 3600)
        let sooner = Self.event("evt-2", start: 3 * 3600, end: 4 * 3600)
        let live = Self.event("evt-3", start: -3600, end: 3600, prepared: true)
        let cancelled = Self.event("evt-4", start: 2 * 3600, end: 3 * 3600, cancelled: true)
        let done = Self.event("evt-5", start: -600, end: 1800, prepared: true)
        let over = Self.event("evt-6", start: -7200, end: -3600)
        let runs = EventRuns([
            RunSamples.run("run-2", status: .active, fingerprint: EventAlert.fingerprint("evt-3"), steps: []),
            RunSamples.run("run-1", status: .aborted, fingerprint: EventAlert.fingerprint("evt-5"), steps: []),
        ])
        let upcoming = StatusPage.upcoming([later, sooner, live, cancelled, done, over], runs: runs, now: Self.now)
        #expect(upcoming.map(\.event.id) == ["evt-3", "evt-2", "evt-1"])
        #expect(upcoming.map(\.status) == [.live, .scheduled, .scheduled])

        let many = (1...25).map { Self.event("evt-\($0)", start: Double(26 - $0) * 7200, end: Double(26 - $0) * 7200 + 3600) }
        let first = StatusPage.upcoming(many, runs: EventRuns([]), now: Self.now)
        #expect(first.count == 20 && first.first?.event.id == "evt-25" && first.last?.event.id == "evt-6")
    }

    @Test("every value is escaped; no events says so; without an event store there is no section")
    func rendering() {
        let hostile = Self.event("evt-1", start: 2 * 3600, end: 3 * 3600, name: #"<img src=x onerror="alert(1)">&"#)
        var content = StatusPage.Content(runs: [], recentRuns: [], alerts: [], now: Self.now, links: [:], signedIn: false,
                                         events: [.init(event: hostile, status: .scheduled)])
        let html = StatusPage.render(content)
        #expect(html.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;") && !html.contains("<img"))
        #expect(html.contains(#"data-before="prepares in " data-after="preparation due">prepares in 1 h</span>"#))
        content.events = []
        #expect(StatusPage.render(content).contains(#"<h2>Upcoming events (0)</h2><p class="empty">No upcoming events.</p>"#))
        content.events = nil
        #expect(!StatusPage.render(content).contains("upcoming-events"))
    }

    @Test("the page answers 503 while the event store is down, and 200 when it is up")
    func storeDown() async throws {
        let folder = try TemporaryFolder("status-events")
        defer { folder.remove() }
        let journal = try SQLiteJournal(path: folder.path + "/responder.sqlite")
        func page(_ events: any EventStore) async -> Response {
            let routes = StatusRoutes(adminToken: Secret("token"), coordinator: NoRuns(), journal: journal, signer: nil, events: events,
                                      now: { Self.now })
            let head = HTTPRequest(method: .get, scheme: "https", authority: "localhost", path: "/")
            return await routes.page(Request(head: head, body: .init(buffer: ByteBuffer())))
        }
        #expect(await page(DownEvents()).status == .serviceUnavailable)
        #expect(await page(journal).status == .ok)
    }
}

/// Run control with no runs.
private struct NoRuns: RunControl {
    func alertsAccepted() {}
    func command(_ command: RunCommand, runID: String, actor: String) async throws(RunCommandError) {}
    func run(id: String) async throws(JournalError) -> Run? { nil }
    func recentRuns(limit: Int) async throws(JournalError) -> [Run] { [] }
    func endedRuns(matching query: EndedRunQuery) async throws(JournalError) -> [Run] { [] }
    func eventsChanged() {}
    func announce(_ text: String, eventID: String) async {}
    func runs(alertFingerprint fingerprint: String, limit: Int) async throws(JournalError) -> [Run] { [] }
    func pause(_ request: PauseRequest) async throws(JournalError) -> Pause { throw .unavailable("no pauses here") }
    func liftPauses(_ selection: PauseSelection, by actor: String) async throws(JournalError) -> [Pause] { [] }
    func pauses(liftedSince: Date, limit: Int) async throws(JournalError) -> [Pause] { [] }
}

/// An event store whose every call fails, as while the database is unreachable.
private struct DownEvents: EventStore {
    static let down = JournalError.unavailable("the event store is down")

    func scheduleEvent(_ draft: EventDraft, at now: Date, check: @escaping @Sendable ([ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem> { throw Self.down }
    func event(id: String) async throws(JournalError) -> ScheduledEvent? { throw Self.down }
    func events(endingAfter: Date?, limit: Int) async throws(JournalError) -> [ScheduledEvent] { throw Self.down }
    func dueEvents(at now: Date, limit: Int) async throws(JournalError) -> [ScheduledEvent] { throw Self.down }
    func nextEventPreparation() async throws(JournalError) -> Date? { throw Self.down }
    func prepareEvent(_ event: ScheduledEvent, alert: NormalizedAlert?, at now: Date) async throws(JournalError) -> Bool { throw Self.down }
    func moveEvent(id: String, start: Date, end: Date, timeZone: String?, at now: Date,
                   check: @escaping @Sendable (ScheduledEvent, [ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem>? { throw Self.down }
    func cancelEvent(id: String, by actor: String, mode: ScheduledEvent.CancelMode, at now: Date)
        async throws(JournalError) -> ScheduledEvent? { throw Self.down }
}
