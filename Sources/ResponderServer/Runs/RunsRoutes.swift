import Foundation
import Hummingbird
import ResponderCore
import ResponderRuntime

/// `GET /api/runs`, `GET /api/runs/{id}`, `GET /api/runs/{id}/report`, `POST /api/runs/{id}/{ack,hold,resume,abort}`,
/// behind the admin token.
struct RunsRoutes: Sendable {
    let token: Secret
    let coordinator: any RunControl
    let outbox: (any NotificationOutbox)?
    /// Wall clock: the time of a report on an open run.
    let now: @Sendable () -> Date

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/runs") { request, _ in await self.list(request) }
        router.get("/api/runs/:id") { request, context in await self.show(request, id: context.parameters.get("id") ?? "") }
        router.get("/api/runs/:id/report") { request, context in await self.report(request, id: context.parameters.get("id") ?? "") }
        router.post("/api/runs/:id/:command") { request, context in
            await self.command(request, id: context.parameters.get("id") ?? "", command: context.parameters.get("command") ?? "")
        }
    }

    private func authorized(_ request: Request) -> Bool {
        WebhookAuthenticator(bearerToken: token, basicUsername: nil, basicPassword: nil).isAuthorized(request.headers)
    }

    private static let unauthorized = JSONResponse.error(.unauthorized, "admin token required: Authorization: Bearer <admin token>")

    func list(_ request: Request) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        let limit = request.uri.queryParameters.get("limit").flatMap(Int.init).map { min(max($0, 1), 500) } ?? 50
        do {
            let runs = try await coordinator.recentRuns(limit: limit)
            return RunJSON.response(.ok, ["runs": runs.map(RunSummary.init)])
        } catch {
            return JSONResponse.error(.serviceUnavailable, "the run store is unavailable; retry later")
        }
    }

    func show(_ request: Request, id: String) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        do {
            guard let run = try await coordinator.run(id: id) else { return JSONResponse.error(.notFound, "no run \(id)") }
            let notifications = try await outbox?.notifications(runID: id) ?? []
            return RunJSON.response(.ok, RunDetail(run, notifications: notifications))
        } catch JournalError.incompatible(let message) {
            // A stored run this server refuses to use (damaged, or edited by hand): say which and why, not "retry".
            return JSONResponse.error(.internalServerError, message)
        } catch {
            return JSONResponse.error(.serviceUnavailable, "the run store is unavailable; retry later")
        }
    }

    /// The run's ``ScalingReport`` (so far, for an open run): JSON, or Markdown with `?format=markdown` or
    /// `Accept: text/markdown`.
    func report(_ request: Request, id: String) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        let format = request.uri.queryParameters.get("format")
        guard format == nil || format == "json" || format == "markdown" else {
            return JSONResponse.error(.badRequest, "format must be json or markdown")
        }
        let markdown = format == "markdown"
            || (format == nil && (request.headers[.accept] ?? "").lowercased().contains("text/markdown"))
        do {
            guard let run = try await coordinator.run(id: id) else { return JSONResponse.error(.notFound, "no run \(id)") }
            let report = ScalingReport(run: run, now: now())
            guard markdown else { return RunJSON.response(.ok, report) }
            return Response(status: .ok, headers: [.contentType: "text/markdown; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: report.markdown)))
        } catch JournalError.incompatible(let message) {
            return JSONResponse.error(.internalServerError, message)
        } catch {
            return JSONResponse.error(.serviceUnavailable, "the run store is unavailable; retry later")
        }
    }

    func command(_ request: Request, id: String, command name: String) async -> Response {
        guard authorized(request) else { return Self.unauthorized }
        guard let command = RunCommand(rawValue: name) else {
            return JSONResponse.error(.notFound, "unknown run command \(name): use ack, hold, resume or abort")
        }
        var request = request
        let actor = await Self.actor(of: &request)
        do {
            try await coordinator.command(command, runID: id, actor: actor)
        } catch {
            switch error {
            case .unknownRun: return JSONResponse.error(.notFound, error.description)
            case .finished: return JSONResponse.error(.gone, error.description)
            case .notApplicable: return JSONResponse.error(.conflict, error.description)
            }
        }
        guard let run = try? await coordinator.run(id: id) else { return JSONResponse.error(.notFound, "no run \(id)") }
        return RunJSON.response(.ok, RunSummary(run))
    }

    /// `{"actor": "alice"}` in the body, `?actor=` in the query, or `api`.
    private static func actor(of request: inout Request) async -> String {
        if let actor = request.uri.queryParameters.get("actor"), !actor.isEmpty { return String(actor.prefix(100)) }
        if let body = try? await request.collectBody(upTo: 4096),
           let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
           let actor = object["actor"] as? String, !actor.isEmpty {
            return String(actor.prefix(100))
        }
        return "api"
    }
}
