import Foundation

extension RecurringWindow {
    /// Every occurrence whose window overlaps `from...through` — it ends after `from` and starts at or before `through`
    /// — in order of start, at most `limit` of them (and never more than ``maxOccurrences``). Only instants in
    /// ``RFC3339/acceptedRange`` (1970–9999) are considered; an occurrence that would start before it or end after it
    /// is left out. A scheduled time in a daylight-saving gap starts at the first instant after the gap; a time in a
    /// repeated hour starts at its first instance. When several scheduled times start at the same instant, one
    /// occurrence stands for them: the time at the end of the gap if the schedule names it too (03:00 for 02:30 and
    /// 03:00), else the earliest (02:00 for 02:00 and 02:30, both moved to 03:00). Days the cron expression cannot
    /// match are skipped a month at a time, and an expression that matches no date at all (`0 0 31 2 *`) returns at
    /// once, so the search is bounded by the days between `from` minus the duration and `through`.
    public func occurrences(from: Date, through: Date, limit: Int) -> [EventWindowOccurrence] {
        let limit = min(limit, Self.maxOccurrences)
        let accepted = RFC3339.acceptedRange
        let length = duration.timeInterval
        guard limit > 0, cron.canEverMatch, from.timeIntervalSince1970.isFinite, through.timeIntervalSince1970.isFinite
        else { return [] }
        let lower = max(from, accepted.lowerBound)
        let upper = min(through, accepted.upperBound)
        guard lower <= upper else { return [] }
        // A day either side: the offsets that turn these instants into wall-clock readings may differ from the
        // offsets of the occurrences near them.
        let firstDay = max(wallDay(of: max(lower - length, accepted.lowerBound)) - 1, Self.days.lowerBound)
        let lastDay = min(wallDay(of: upper) + 1, Self.days.upperBound)
        let hours = cron.values(of: .hour)
        let minutes = cron.values(of: .minute)

        var found: [EventWindowOccurrence] = []
        var previousStart: Date?
        var day = firstDay
        while day <= lastDay {
            let civil = CivilCalendar.civilFromDays(day)
            let monthLength = CivilCalendar.daysInMonth(year: civil.year, month: civil.month)
            guard CronExpression.has(cron.months, civil.month) else {
                day += monthLength - civil.day + 1
                continue
            }
            defer { day += 1 }
            guard let date = LocalDate(year: civil.year, month: civil.month, day: civil.day) else { break }
            guard cron.matches(date), !except.contains(date) else { continue }
            for hour in hours {
                for minute in minutes {
                    guard let scheduled = LocalDateTime(date: date, hour: hour, minute: minute) else { continue }
                    let resolution = LocalTimeResolution.resolve(scheduled, in: timeZone)
                    if case .skipped(let transition, _, let after) = resolution,
                       scheduledAlso(wallSeconds: Int(transition.timeIntervalSince1970) + after) {
                        continue
                    }
                    let start = resolution.firstInstant
                    // Starts never go backwards as scheduled times go forwards; an equal one is a later scheduled
                    // time moved to the same end of a gap.
                    if let previousStart, start <= previousStart { continue }
                    previousStart = start
                    guard start <= upper else { return found }
                    let end = start + length
                    guard end <= accepted.upperBound else { return found }
                    // The first days scanned can start before 1970 in zones east of UTC.
                    guard end > lower, start >= accepted.lowerBound else { continue }
                    found.append(EventWindowOccurrence(start: start, end: end, scheduled: scheduled,
                                                       timeZoneIdentifier: timeZoneIdentifier,
                                                       shift: Self.shift(of: resolution)))
                    if found.count == limit { return found }
                }
            }
        }
        return found
    }

    /// Days since 1970-01-01 of the local dates an occurrence may have (1970-01-01 to 9999-12-31).
    private static let days = 0...CivilCalendar.daysFromCivil(year: 9999, month: 12, day: 31)

    /// The day, counted from 1970-01-01, that the wall clock of the zone shows at `instant` (a finite instant within
    /// the accepted range, so the arithmetic is exact).
    private func wallDay(of instant: Date) -> Int {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        return seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
    }

    /// True when the schedule itself names the wall-clock reading at `wallSeconds` (the end of a gap), on a date it
    /// does not skip: then that reading is the occurrence, and the skipped times moved onto it add none.
    private func scheduledAlso(wallSeconds: Int) -> Bool {
        guard let local = LocalDateTime(wallSeconds: wallSeconds) else { return false }
        return cron.matches(local) && !except.contains(local.date)
    }

    private static func shift(of resolution: LocalTimeResolution) -> EventWindowOccurrence.Shift {
        switch resolution {
        case .unique: .none
        case .repeated: .firstOfRepeated
        case .skipped: .afterGap
        }
    }
}
