import ResponderCore

extension PlaybookDecoder {
    /// `schedule: {cron, duration, timezone, except, ahead, name}` of a pre-event playbook; problems name the setting.
    func decodeSchedule(_ fields: Fields, kind: Playbook.Kind?) -> EventSchedule? {
        guard let entry = fields.entry("schedule") else { return nil }
        if let kind, kind != .preEvent {
            log.add(file, entry.keyLine, "schedule only applies to pre-event playbooks; this one is \(kind.rawValue)")
            return nil
        }
        guard let map = fields.mapping("schedule", allowed: ["cron", "duration", "timezone", "except", "ahead", "name"]) else {
            return nil
        }
        let cron = map.string("cron", required: true)
        let duration = map.string("duration", required: true)
        let zone = map.string("timezone", required: true)
        let except = map.strings("except") ?? []
        let name = map.string("name")
        var ahead = EventSchedule.defaultAhead
        if let value = map.duration("ahead") {
            if EventSchedule.aheadRange.contains(value) {
                ahead = value
            } else {
                map.problem(map.lineOf("ahead"), "schedule.ahead must be \(Limits.text(EventSchedule.aheadRange)) "
                    + "(not \(value.playbookText))")
            }
        }
        guard let cron, let duration, let zone else { return nil }
        do {
            let window = try RecurringWindow.parse(cron: cron, duration: duration, timeZone: zone, except: except.map(\.text))
            return EventSchedule(window: window, ahead: ahead, name: name)
        } catch {
            let line: Int
            switch error.setting {
            case .cron: line = map.lineOf("cron")
            case .duration: line = map.lineOf("duration")
            case .timeZone: line = map.lineOf("timezone")
            case .except: line = map.lineOf("except")
            }
            map.problem(line, "schedule.\(error.setting.rawValue): \(error.description)")
            return nil
        }
    }
}
