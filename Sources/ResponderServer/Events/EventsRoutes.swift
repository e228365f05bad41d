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
            let all = try await events.events(endingAfter: nil, limit: 5_000)
            let found = try await EventRuns.recent(runs)
            let views = all.map { EventView($0, run: found.run(of: $0), now: at) }
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
            let run = try await EventRuns.recent(runs).run(of: event)
            return RunJSON.response(.ok, EventView(event, run: run, now: now()))
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
            if current.cancelledAt != nil { return JSONResponse.error(.gone, "event \(id) was cancelled") }
            if current.preparedAt != nil {
                return JSONResponse.error(.conflict, "event \(id) has started (its run prepares it): cancel it (DELETE) and schedule a new one")
            }
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
            let moved = try await events.moveEvent(id: id, start: start, end: end, at: at) { event, others in
                let draft = EventDraft(playbook: event.playbook, name: event.name, start: event.start, end: event.end,
                                       labels: event.labels, annotations: event.annotations, scheduledBy: event.scheduledBy)
                // Prepared by a replica since it was read: too late to move.
                if event.preparedAt != nil { return .failure(.invalidText("event \(id) has started: cancel it and schedule a new one")) }
                return EventRules.check(draft, playbooks: set, others: others, movingID: id, now: at)
            }
            switch moved {
            case nil: return JSONResponse.error(.notFound, "no event \(id)")
            case .success(let event)?: return RunJSON.response(.ok, EventView(event, run: nil, now: at))
            case .failure(let problem)?: return Self.refusal(problem)
            }
        } catch {
            return Self.unavailable
        }
    }

    func cancel(_ request: Request, id: String) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        let actor = String((request.uri.queryParameters.get("actor").map { String($0) } ?? "api").prefix(100))
        let at = now()
        do {
            guard let event = try await events.cancelEvent(id: id, by: actor, at: at) else {
                return JSONResponse.error(.notFound, "no event \(id)")
            }
            // Started: its run is aborted where it stands, as a person's abort (the ladder does not run).
            var run = try await EventRuns.recent(runs).run(of: event)
            if let open = run, open.isOpen {
                do {
                    try await runs.command(.abort, runID: open.id, actor: actor)
                } catch {
                    return JSONResponse.error(.conflict, "event \(id) cancelled, but its run \(open.id) was not aborted: \(error)")
                }
                run = try await runs.run(id: open.id)
            }
            return RunJSON.response(.ok, EventView(event, run: run, now: at))
        } catch {
            return Self.unavailable
        }
    }

    private static func refusal(_ problem: EventProblem) -> Response {
        switch problem {
        case .overlaps: JSONResponse.error(.conflict, problem.description)
        case .unknownPlaybook: JSONResponse.error(.notFound, problem.description)
        default: JSONResponse.error(.unprocessableContent, problem.description)
        }
    }
}
