import Foundation
import ResponderCore
import Testing

/// Recurring schedules becoming events, what a due event's preparation does, the rules for moving a started event and
/// for overlaps a playbook allows, and the engine retiming a started event's ladder: all pure, on code-built playbooks.
@Suite("events: recurring schedules, preparation decisions, moves of started events, extensions")
struct EventScheduleTests {
    static let monday = RFC3339.parse("2026-12-21T00:00:00Z")!
    static let ladder = Playbook.Ladder(hold: .seconds(1800), every: .seconds(600), levels: [("api", [.replicas(6)])])

    static func hours(playbook: String = "hours", cron: String = "0 9 * * MON-FRI", duration: String = "9h",
                      except: [String] = ["2026-12-24", "2026-12-25"], missed: Playbook.MissedDeadlinePolicy = .fire,
                      overlap: Playbook.OverlapPolicy = .refuse, target: String = "api") throws -> Playbook {
        var playbook = PlannerFixtures.playbook(
            playbook, kind: .preEvent, alertname: "Hours", actions: [.scale(target: target, change: .to(10))],
            ladder: .init(hold: .seconds(1800), every: .seconds(600), levels: [(target, [.replicas(6)])]),
            event: .init(lead: .seconds(3600), hold: .seconds(1800), overlap: overlap)
        )
        playbook.schedule = EventSchedule(window: try RecurringWindow.parse(cron: cron, duration: duration,
                                                                            timeZone: "Europe/Berlin", except: except))
        playbook.missedDeadline = missed
        return playbook
    }

    static func set(_ playbooks: [Playbook]) -> PlaybookSet {
        PlannerFixtures.set(playbooks, targets: [PlannerFixtures.target("api", floor: 2, ceiling: 20)])
    }

    static func event(_ draft: EventDraft, id: String = "evt-1", prepareAt: Date? = nil) -> ScheduledEvent {
        ScheduledEvent(id: id, playbook: draft.playbook, name: draft.name, start: draft.start, end: draft.end,
                       timeZone: draft.timeZone, prepareAt: prepareAt ?? draft.start.addingTimeInterval(-3600),
                       scheduledBy: draft.scheduledBy, createdAt: monday, occurrence: draft.occurrence)
    }

    @Test("weekday business hours in Berlin: the coming week's occurrences, except dates left out, each named once")
    func weekdayHours() throws {
        let drafts = EventSchedule.drafts(for: Self.set([try Self.hours()]), now: Self.monday)
        // A week plus the hour of lead ahead: Mon 21 to Wed 23 (24 and 25 are excepted; Mon 28 starts 7 d 8 h away).
        #expect(drafts.map(\.occurrence) == ["2026-12-21T09:00 Europe/Berlin", "2026-12-22T09:00 Europe/Berlin",
                                             "2026-12-23T09:00 Europe/Berlin"])
        #expect(drafts.first?.start == RFC3339.parse("2026-12-21T08:00:00Z"), "09:00 CET is 08:00Z")
        #expect(drafts.first?.end == RFC3339.parse("2026-12-21T17:00:00Z"))
        #expect(drafts.allSatisfy { $0.scheduledBy == EventSchedule.scheduledBy && $0.timeZone == "Europe/Berlin" })
        let accepted = drafts.map { EventRules.check($0, playbooks: Self.set([try! Self.hours()]), others: [], now: Self.monday) }
        #expect(accepted.allSatisfy { (try? $0.get()) != nil }, "occurrences of one schedule do not overlap each other")
    }

    @Test("across the spring change a 02:30 Berlin window starts after the gap, and 09:00 moves from 08:00Z to 07:00Z")
    func daylightSaving() throws {
        let saturday = RFC3339.parse("2027-03-27T00:00:00Z")!
        let night = try Self.hours(cron: "30 2 * * *", duration: "1h", except: [])
        let starts = EventSchedule.drafts(for: Self.set([night]), now: saturday).prefix(3).map(\.start)
        #expect(starts == [RFC3339.parse("2027-03-27T01:30:00Z"), RFC3339.parse("2027-03-28T01:00:00Z"),
                           RFC3339.parse("2027-03-29T00:30:00Z")], "02:30 CET, then 03:00 CEST (the gap), then 02:30 CEST")
        let days = try Self.hours(cron: "0 9 * * *", except: [])
        let morning = EventSchedule.drafts(for: Self.set([days]), now: saturday).prefix(2).map(\.start)
        #expect(morning == [RFC3339.parse("2027-03-27T08:00:00Z"), RFC3339.parse("2027-03-28T07:00:00Z")])
    }

    @Test("a due event prepares on time, catches up once after downtime as missed_deadline says, or is missed")
    func preparation() throws {
        let grace = Duration.seconds(300)
        let draft = EventSchedule.drafts(for: Self.set([try Self.hours()]), now: Self.monday)[0]
        let event = Self.event(draft)
        let fire = Self.set([try Self.hours()])
        #expect(EventPreparation.decide(event, playbooks: fire, now: event.prepareAt, grace: grace) == .prepare(late: nil))
        let midWindow = event.start.addingTimeInterval(3600)
        guard case .prepare(let late?) = EventPreparation.decide(event, playbooks: fire, now: midWindow, grace: grace) else {
            Issue.record("a window still running is caught up with missed_deadline: fire")
            return
        }
        #expect(late.contains("7200 s late") && late.contains("caught up once"), "\(late)")
        let skip = Self.set([try Self.hours(missed: .skip)])
        guard case .miss(let why) = EventPreparation.decide(event, playbooks: skip, now: midWindow, grace: grace) else {
            Issue.record("missed_deadline: skip misses it")
            return
        }
        #expect(why.contains("missed_deadline: skip"))
        guard case .miss(let ended) = EventPreparation.decide(event, playbooks: fire, now: event.end, grace: grace) else {
            Issue.record("a window that is over is missed whatever the policy")
            return
        }
        #expect(ended.contains("ended"))
        guard case .miss(let gone) = EventPreparation.decide(event, playbooks: Self.set([]), now: event.prepareAt, grace: grace) else {
            Issue.record("an event whose playbook is gone is missed")
            return
        }
        #expect(gone.contains("not a loaded pre-event playbook"))

        var started = event
        started.preparedAt = event.prepareAt
        started.preparedRevision = 1
        started.revision = 2
        #expect(EventPreparation.decide(started, playbooks: Self.set([]), now: event.end.addingTimeInterval(86_400), grace: grace)
                == .prepare(late: nil), "a started run is always told of a change")
        started.cancelledAt = midWindow
        started.cancelMode = .abort
        #expect(EventPreparation.decide(started, playbooks: fire, now: midWindow, grace: grace) == .abortRun)
    }

    @Test("a started event keeps its start; its end may move to now but not into the past; an occurrence may start late")
    func movingStarted() throws {
        let set = Self.set([try Self.hours()])
        let draft = EventSchedule.drafts(for: set, now: Self.monday)[0]
        var stored = Self.event(draft)
        stored.preparedAt = stored.prepareAt
        let now = draft.start.addingTimeInterval(600)
        var moved = draft
        moved.end = draft.end.addingTimeInterval(3600)
        #expect(try EventRules.check(moved, playbooks: set, others: [stored], moving: stored, now: now).get() == stored.prepareAt,
                "an extension keeps the preparation time it had")
        moved.start = draft.start.addingTimeInterval(60)
        #expect(EventRules.check(moved, playbooks: set, others: [], moving: stored, now: now)
                == .failure(.startLocked(id: "evt-1", start: draft.start)))
        moved.start = draft.start
        moved.end = draft.start.addingTimeInterval(3600)
        let later = draft.start.addingTimeInterval(3 * 3600)
        #expect(EventRules.check(moved, playbooks: set, others: [], moving: stored, now: later)
                == .failure(.endInPast(end: moved.end, now: later)))
        var cancelled = stored
        cancelled.cancelledAt = now
        #expect(EventRules.check(draft, playbooks: set, others: [], moving: cancelled, now: now) == .failure(.cancelled("evt-1")))
        // Created in the middle of its window (a new schedule, downtime): accepted, and its preparation decides.
        #expect((try? EventRules.check(draft, playbooks: set, others: [], now: now).get()) != nil)
        var oneOff = draft
        oneOff.occurrence = nil
        #expect((try? EventRules.check(oneOff, playbooks: set, others: [], now: now.addingTimeInterval(3600)).get()) == nil,
                "a one-off start more than 5 minutes past is refused")
    }

    @Test("an overlap on shared targets is refused unless the later event's playbook says event.overlap: extend")
    func overlapExtend() throws {
        let earlier = try Self.hours(playbook: "launch", cron: "0 9 * * *", except: [])
        let refuse = try Self.hours(playbook: "promo", cron: "0 9 * * *", except: [])
        let extend = try Self.hours(playbook: "promo", cron: "0 9 * * *", except: [], overlap: .extend)
        let first = Self.event(EventDraft(playbook: "launch", name: "launch", start: Self.monday.addingTimeInterval(86_400),
                                          end: Self.monday.addingTimeInterval(90_000), scheduledBy: "a"))
        var later = EventDraft(playbook: "promo", name: "promo", start: Self.monday.addingTimeInterval(88_000),
                               end: Self.monday.addingTimeInterval(95_000), scheduledBy: "b")
        guard case .failure(.overlaps(let clashes)) = EventRules.check(later, playbooks: Self.set([earlier, refuse]), others: [first],
                                                                      now: Self.monday) else {
            Issue.record("refused by default")
            return
        }
        #expect(clashes.map(\.id) == ["evt-1"] && clashes.first?.targets == ["api"])
        #expect((try? EventRules.check(later, playbooks: Self.set([earlier, extend]), others: [first], now: Self.monday).get()) != nil)
        later.start = Self.monday.addingTimeInterval(80_000)
        #expect((try? EventRules.check(later, playbooks: Self.set([earlier, extend]), others: [first], now: Self.monday).get()) == nil,
                "an event that starts first is not the later one: launch does not extend")
    }

    @Test("the engine retimes a started event's ladder to a moved end, never starts a run for an update, and extends")
    func engineRetimes() throws {
        let launch = try Self.hours(playbook: "launch", cron: "0 9 * * *", except: [])
        let promo = try Self.hours(playbook: "promo", cron: "0 9 * * *", except: [], overlap: .extend)
        var harness = EngineHarness(Self.set([launch, promo]), replicas: ["api": 4])
        let start = PlannerFixtures.now.addingTimeInterval(3600)
        var event = Self.event(EventDraft(playbook: "launch", name: "launch", start: start, end: start.addingTimeInterval(7200),
                                          scheduledBy: "a"), prepareAt: PlannerFixtures.now)
        harness.fire(EventAlert.alert(for: event))
        let run = try #require(harness.onlyRun)
        let firstDue = { (run: Run?) in run?.steps.first { $0.phase == .ladder && $0.status == .pending }?.due }
        #expect(firstDue(run) == start.addingTimeInterval(7200 + 3600), "end + event hold + ladder hold")

        event.preparedAt = PlannerFixtures.now
        event.end = start.addingTimeInterval(3600)
        event.revision = 2
        event.preparedRevision = 1
        harness.fire(EventAlert.alert(for: event))
        #expect(firstDue(harness.engine.runs[run.id]) == start.addingTimeInterval(3600 + 3600))
        #expect(harness.notes.last?.contains("moved (revision 2)") == true, "\(harness.notes)")

        let promoEvent = Self.event(EventDraft(playbook: "promo", name: "promo", start: start.addingTimeInterval(1800),
                                               end: start.addingTimeInterval(4 * 3600), scheduledBy: "b"), id: "evt-2")
        harness.fire(EventAlert.alert(for: promoEvent))
        #expect(harness.engine.runs.count == 1, "the later event joined the earlier run")
        #expect(firstDue(harness.engine.runs[run.id]) == start.addingTimeInterval(4 * 3600 + 3600), "extended to its end")

        harness.advance(by: 6 * 3600)
        #expect(harness.engine.runs[run.id]?.isOpen == false)
        event.revision = 3
        event.cancelledAt = harness.now
        event.cancelMode = .ladder
        harness.fire(EventAlert.alert(for: event))
        #expect(harness.engine.runs.values.filter(\.isOpen).isEmpty, "an update of an ended run starts nothing")
    }
}

extension EventScheduleTests {
    @Test("an event scheduled with less than its lead ahead prepares now, on time; an occurrence keeps start − lead")
    func shortNotice() throws {
        let set = Self.set([try Self.hours(missed: .skip)])
        let now = Self.monday
        let soon = EventDraft(playbook: "hours", name: "soon", start: now.addingTimeInterval(600), end: now.addingTimeInterval(4000),
                              scheduledBy: "alice")
        let prepareAt = try EventRules.check(soon, playbooks: set, others: [], now: now).get()
        #expect(prepareAt == now, "lead 1h, start in 10 min: prepare now")
        let event = Self.event(soon, prepareAt: prepareAt)
        #expect(EventPreparation.decide(event, playbooks: set, now: now.addingTimeInterval(1), grace: .seconds(300)) == .prepare(late: nil),
                "not a missed deadline, even with missed_deadline: skip")
        var occurrence = soon
        occurrence.occurrence = "2026-12-21T01:10 Europe/Berlin"
        #expect(try EventRules.check(occurrence, playbooks: set, others: [], now: now).get() == now.addingTimeInterval(600 - 3600))
    }
}

extension EventScheduleTests {
    @Test("after a schedule changes, its future occurrences it no longer has are stale; prepared, cancelled and one-off events are not")
    func staleOccurrences() throws {
        let old = Self.set([try Self.hours(cron: "0 9 * * *", except: [])])
        let stored = EventSchedule.drafts(for: old, now: Self.monday).enumerated().map { index, draft in
            Self.event(draft, id: "evt-\(index + 1)")
        }
        #expect(stored.count == 7)
        #expect(EventSchedule.stale(stored, playbooks: old, now: Self.monday).isEmpty, "an unchanged schedule has nothing stale")

        var kept = stored
        kept[0].preparedAt = Self.monday
        kept[1].cancelledAt = Self.monday
        kept[2].scheduledBy = "alice"
        let moved = Self.set([try Self.hours(cron: "0 10 * * *", except: [])])
        #expect(EventSchedule.stale(kept, playbooks: moved, now: Self.monday).map(\.id) == ["evt-4", "evt-5", "evt-6", "evt-7"],
                "09:00 occurrences are stale once the schedule says 10:00; the prepared, cancelled and one-off ones stay")
        #expect(EventSchedule.stale(stored, playbooks: Self.set([]), now: Self.monday).count == 7, "the playbook is gone")
        #expect(EventSchedule.stale(stored, playbooks: moved, now: stored[6].prepareAt).isEmpty,
                "an occurrence whose preparation is due is not stale: its preparation decides")
    }
}
