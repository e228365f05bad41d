import Foundation
import Hummingbird
import ResponderCore
import ResponderRuntime

/// `GET /api/pause`, `POST /api/pause`, `DELETE /api/pause`, behind the admin token: the switches that stop
/// Responder from acting, everywhere or on one target, in one direction or both.
struct PauseRoutes: Sendable {
    let token: Secret
    let runs: any RunControl
    let playbooks: PlaybookRegistry
    let now: @Sendable () -> Date

    /// The largest request body, in bytes.
    static let maxBody = 16 << 10
    /// How long lifted pauses stay in `GET /api/pause`'s `recent`.
    static let recentWindow: TimeInterval = 7 * 86_400

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/pause") { request, _ in await self.list(request) }
        router.post("/api/pause") { request, _ in await self.pause(request) }
        router.delete("/api/pause") { request, _ in await self.lift(request) }
        router.delete("/api/pause/:id") { request, context in await self.lift(request, id: context.parameters.get("id") ?? "") }
    }

    private func authorized(_ request: Request) -> Bool {
        WebhookAuthenticator(bearerToken: token, basicUsername: nil, basicPassword: nil).isAuthorized(request.headers)
    }

    private static let unauthorized = JSONResponse.error(.unauthorized, "admin token required: Authorization: Bearer <admin token>")
    private static let unavailable = JSONResponse.error(.serviceUnavailable, "the pause store is unavailable; retry later")

    /// Pauses in force (`active`, with how long each has lasted) and those lifted in the last week (`recent`).
    func list(_ request: Request) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        let at = now()
        do {
            let all = try await runs.pauses(liftedSince: at.addingTimeInterval(-Self.recentWindow), limit: 100)
            return RunJSON.response(.ok, PauseList(all, now: at))
        } catch {
            return Self.unavailable
        }
    }

    /// Sets a pause from a JSON body (`target`, `direction`, `mode`, `reason`, `by`, `until` or `for`): 201 with it.
    func pause(_ request: Request) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: Self.maxBody) } catch {
            return JSONResponse.error(.contentTooLarge, "the body is larger than \(Self.maxBody) bytes")
        }
        let body: PauseOrderRequest
        switch PauseOrderRequest.decode(Array(buffer: buffer)) {
        case .success(let read): body = read
        case .failure(let problem): return JSONResponse.error(.badRequest, problem.description)
        }
        guard let set = await playbooks.playbooks else {
            return JSONResponse.error(.serviceUnavailable, "no playbooks are loaded: fix them and reload")
        }
        let at = now()
        switch body.request(now: at, targets: Set(set.targets.keys)) {
        case .failure(let problem):
            return JSONResponse.error(problem.unknownTarget ? .unprocessableContent : .badRequest, problem.description)
        case .success(let order):
            do {
                return RunJSON.response(.created, PauseView(try await runs.pause(order), now: at))
            } catch {
                return Self.unavailable
            }
        }
    }

    /// Lifts pauses: `?id=pause-3`, or a scope (`?target=api&direction=down`; no target: the global pauses; no
    /// direction: any); `by` names who. 200 with those lifted, 404 when none in force matched.
    func lift(_ request: Request, id: String? = nil) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        let query = request.uri.queryParameters
        let actor = query.get("by").map { String($0) } ?? "api"
        guard !actor.isEmpty, actor.count <= PauseOrderRequest.maxActor, PauseOrderRequest.printable(actor) else {
            return JSONResponse.error(.badRequest, "by must be 1 to \(PauseOrderRequest.maxActor) characters without control characters")
        }
        let selection: PauseSelection
        if let id = id ?? query.get("id").map({ String($0) }) {
            guard query.get("target") == nil, query.get("direction") == nil else {
                return JSONResponse.error(.badRequest, "give id, or target and direction, not both")
            }
            selection = .id(id)
        } else {
            var direction: PauseDirection?
            if let text = query.get("direction") {
                guard let read = PauseDirection(rawValue: String(text)) else {
                    return JSONResponse.error(.badRequest, "direction must be up, down or both")
                }
                direction = read
            }
            selection = .scope(target: query.get("target").map { String($0) }, direction: direction)
        }
        do {
            let lifted = try await runs.liftPauses(selection, by: actor)
            guard !lifted.isEmpty else { return JSONResponse.error(.notFound, "no pause in force matches") }
            let at = now()
            return RunJSON.response(.ok, ["lifted": lifted.map { PauseView($0, now: at) }])
        } catch {
            return Self.unavailable
        }
    }
}

/// A pause as the API shows it.
struct PauseView: Encodable {
    var id: String
    var scope: String
    var target: String?
    var direction: String
    var mode: String
    var reason: String
    var by: String
    var since: Date
    var until: Date?
    var liftedAt: Date?
    var liftedBy: String?
    /// Whether it stops anything now.
    var active: Bool
    /// Seconds since it began (to its lifting, once lifted).
    var ageSeconds: Int

    init(_ pause: Pause, now: Date) {
        id = pause.id
        scope = pause.scope
        target = pause.target
        direction = pause.direction.rawValue
        mode = pause.mode.rawValue
        reason = pause.reason
        by = pause.by
        since = pause.since
        until = pause.until
        liftedAt = pause.liftedAt ?? pause.until.flatMap { $0 <= now ? $0 : nil }
        liftedBy = pause.liftedBy ?? (liftedAt != nil && pause.liftedAt == nil ? "expiry" : nil)
        active = pause.isActive(at: now)
        ageSeconds = Int(saturating: max(0, (liftedAt ?? now).timeIntervalSince(pause.since)))
    }

    enum CodingKeys: String, CodingKey {
        case id, scope, target, direction, mode, reason, by, since, until, active
        case liftedAt = "lifted_at", liftedBy = "lifted_by", ageSeconds = "age_seconds"
    }
}

/// `GET /api/pause`: in force, then recently lifted.
struct PauseList: Encodable {
    var active: [PauseView]
    var recent: [PauseView]

    init(_ pauses: [Pause], now: Date) {
        let views = pauses.map { PauseView($0, now: now) }
        active = views.filter(\.active)
        recent = views.filter { !$0.active }
    }
}
