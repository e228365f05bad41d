import Foundation
import Hummingbird
import ResponderCore
import ResponderRuntime

/// `POST /api/events`, `GET /api/events`, `GET /api/events/{id}`, `PATCH /api/events/{id}`, `DELETE /api/events/{id}`,
/// behind the admin token. Times are RFC 3339 with an offset, or a local date-time with `time_zone` (an IANA zone).
struct EventsRoutes: Sendable {
    let token: Secret
    let events: any EventStore
    let runs: any RunControl
    let playbooks: PlaybookRegistry
    let now: @Sendable () -> Date

    /// The largest request body, in bytes.
    static let maxBody = 64 << 10

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/events") { request, _ in await self.schedule(request) }
        router.get("/api/events") { request, _ in await self.list(request) }
        router.get("/api/events/:id") { request, context in await self.show(request, id: context.parameters.get("id") ?? "") }
        router.patch("/api/events/:id") { request, context in await self.move(request, id: context.parameters.get("id") ?? "") }
        router.delete("/api/events/:id") { request, context in await self.cancel(request, id: context.parameters.get("id") ?? "") }
    }

    private func authorized(_ request: Request) -> Bool {
        WebhookAuthenticator(bearerToken: token, basicUsername: nil, basicPassword: nil).isAuthorized(request.headers)
    }

    private static let unauthorized = JSONResponse.error(.unauthorized, "admin token required: Authorization: Bearer <admin token>")
    private static let unavailable = JSONResponse.error(.serviceUnavailable, "the event store is unavailable; retry later")

    func schedule(_ request: Request) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        let draft: EventDraft
        switch await EventRequestBody.read(request, limit: Self.maxBody) {
        case .failure(let refusal): return refusal.response
        case .success(let body):
            switch body.draft() {
            case .success(let read): draft = read
            case .failure(let problem): return JSONResponse.error(.badRequest, problem.description)
            }
        }
        guard let set = await playbooks.playbooks else {
            return JSONResponse.error(.serviceUnavailable, "no playbooks are loaded: fix them and reload")
        }
        let at = now()
        do {
            switch try await events.scheduleEvent(draft, at: at, check: { EventRules.check(draft, playbooks: set, others: $0, now: at) }) {
            case .success(let event):
                runs.eventsChanged()
                await runs.announce(EventAnnouncement.text(.scheduled, event), eventID: event.id)
                return RunJSON.response(.created, EventView(event, run: nil, now: at))
            case .failure(let problem):
                return Self.refusal(problem)
            }
        } catch {
            return Self.unavailable
        }
    }

    func list(_ request: Request) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        let when = request.uri.queryParameters.get("when").map { String($0) } ?? "upcoming"
        let limit = request.uri.queryParameters.get("limit").flatMap { Int(String($0)) }.map { min(max($0, 1), 500) } ?? 100
        guard ["upcoming", "active", "past", "all"].contains(when) else {
            return JSONResponse.error(.badRequest, "when must be upcoming, active, past or all")
        }
        let at = now()
        do {
            // Upcoming and active events have not ended (a cancelled one that has is past either way).
            let all = try await events.events(endingAfter: ["upcoming", "active"].contains(when) ? at : nil, limit: 5_000)
            var views: [EventView] = []
            for event in all { views.append(EventView(event, run: try await run(of: event), now: at)) }
            let chosen: [EventView]
            switch when {
            case "upcoming": chosen = views.filter { $0.status == EventStatus.scheduled.rawValue }
            case "active": chosen = views.filter {
                [EventStatus.preparing, .live, .steppingDown].map(\.rawValue).contains($0.status)
            }
            case "past": chosen = views.filter { [EventStatus.done, .cancelled].map(\.rawValue).contains($0.status) }.reversed()
            default: chosen = views
            }
            return RunJSON.response(.ok, ["events": Array(chosen.prefix(limit))])
        } catch {
            return Self.unavailable
        }
    }

    func show(_ request: Request, id: String) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        do {
            guard let event = try await events.event(id: id) else { return JSONResponse.error(.notFound, "no event \(id)") }
            return RunJSON.response(.ok, EventView(event, run: try await run(of: event), now: now()))
        } catch {
            return Self.unavailable
        }
    }

    func move(_ request: Request, id: String) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        let body: EventRequest
        switch await EventRequestBody.read(request, limit: Self.maxBody) {
        case .success(let read): body = read
        case .failure(let refusal): return refusal.response
        }
        guard let set = await playbooks.playbooks else {
            return JSONResponse.error(.serviceUnavailable, "no playbooks are loaded: fix them and reload")
        }
        let at = now()
        do {
            guard let current = try await events.event(id: id) else { return JSONResponse.error(.notFound, "no event \(id)") }
            let zone = body.timeZone ?? current.timeZone
            var start = current.start
            var end = current.end
            if let text = body.start {
                switch EventRequest.time(text, zone: zone, field: "start") {
                case .success(let date): start = date
                case .failure(let problem): return JSONResponse.error(.badRequest, problem.description)
                }
            }
            if let text = body.end {
                switch EventRequest.time(text, zone: zone, field: "end") {
                case .success(let date): end = date
                case .failure(let problem): return JSONResponse.error(.badRequest, problem.description)
                }
            }
            let (newStart, newEnd) = (start, end)
            // Checked against the event as stored in the store's transaction: cancelled or started since it was read.
            let moved = try await events.moveEvent(id: id, start: start, end: end, timeZone: body.timeZone, at: at) { stored, others in
                EventRules.checkMove(of: stored, start: newStart, end: newEnd, playbooks: set, others: others, now: at)
            }
            switch moved {
            case nil: return JSONResponse.error(.notFound, "no event \(id)")
            case .success(let event)?:
                runs.eventsChanged()
                await runs.announce(EventAnnouncement.text(.moved, event), eventID: event.id)
                return RunJSON.response(.ok, EventView(event, run: try await run(of: event), now: at))
            case .failure(let problem)?: return Self.refusal(problem)
            }
        } catch {
            return Self.unavailable
        }
    }

    func cancel(_ request: Request, id: String) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        let query = request.uri.queryParameters
        let actor = String((query.get("actor").map { String($0) } ?? "api").prefix(100))
        let modeText = query.get("cancel").map { String($0) } ?? ScheduledEvent.CancelMode.ladder.rawValue
        guard let mode = ScheduledEvent.CancelMode(rawValue: modeText) else {
            return JSONResponse.error(.badRequest, "cancel must be ladder (the run steps down now) or abort (it stops where it is)")
        }
        let at = now()
        do {
            guard let before = try await events.event(id: id) else { return JSONResponse.error(.notFound, "no event \(id)") }
            guard before.cancelledAt == nil else { return JSONResponse.error(.gone, "event \(id) was already cancelled") }
            guard let event = try await events.cancelEvent(id: id, by: actor, mode: mode, at: at) else {
                return JSONResponse.error(.notFound, "no event \(id)")
            }
            // Its run (if started) is told by the driver at its next tick, woken now: the same path after a crash.
            runs.eventsChanged()
            if event.cancelledBy == actor {
                await runs.announce(EventAnnouncement.text(.cancelled(runStarted: event.preparedAt != nil), event), eventID: event.id)
            }
            return RunJSON.response(.ok, EventView(event, run: try await run(of: event), now: at))
        } catch {
            return Self.unavailable
        }
    }

    /// The newest run of `event`, found by the fingerprint of its alert; nil before it started.
    private func run(of event: ScheduledEvent) async throws(JournalError) -> Run? {
        guard event.preparedAt != nil else { return nil }
        return try await runs.runs(alertFingerprint: EventAlert.fingerprint(event.id), limit: 1).first
    }

    private static func refusal(_ problem: EventProblem) -> Response {
        switch problem {
        case .overlaps, .startLocked, .alreadyScheduled: JSONResponse.error(.conflict, problem.description)
        case .cancelled, .ended: JSONResponse.error(.gone, problem.description)
        case .unknownPlaybook: JSONResponse.error(.notFound, problem.description)
        default: JSONResponse.error(.unprocessableContent, problem.description)
        }
    }
}
