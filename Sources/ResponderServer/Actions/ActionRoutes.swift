import Foundation
import Hummingbird
import Logging
import ResponderCore
import ResponderRuntime
import ResponderNotify

/// The signed action links in chat messages: `GET /actions/{token}` shows what the link will do and changes nothing
/// (chat unfurlers and mail scanners prefetch links); `POST /actions/{token}` acts once. A tampered or foreign token is
/// 403, an expired one or a finished run 410, a second use 409; none of them changes anything.
struct ActionRoutes: Sendable {
    let signer: ActionLinkSigner
    let coordinator: any RunControl
    let ledger: any ActionTokenLedger
    let logger: Logger
    let now: @Sendable () -> Date

    func register(on router: Router<BasicRequestContext>) {
        router.get("/actions/:token") { _, context in await self.confirm(token: context.parameters.get("token") ?? "") }
        router.post("/actions/:token") { request, context in
            await self.act(request, context: context, token: context.parameters.get("token") ?? "")
        }
    }

    func confirm(token: String) async -> Response {
        let claim: ActionClaim
        do { claim = try signer.verify(token, now: now()) } catch { return Self.refused(error) }
        guard let run = try? await coordinator.run(id: claim.run) else {
            return HTMLResponse.page(.notFound, ActionPage.result(title: "Unknown run", message: "There is no run \(claim.run).", status: .invalid))
        }
        guard run.isOpen else { return Self.finished(run) }
        return HTMLResponse.page(.ok, ActionPage.confirm(claim: claim, runSummary: Self.summary(run), formAction: "/actions/\(token)"))
    }

    func act(_ request: Request, context: BasicRequestContext, token: String) async -> Response {
        let claim: ActionClaim
        do { claim = try signer.verify(token, now: now()) } catch { return Self.refused(error) }
        var request = request
        let form = (try? await request.collectBody(upTo: 4096)).map { Array(buffer: $0) } ?? []
        let actor = Self.actor(named: ActionPage.actorName(formBody: form), via: "link")
        return await apply(claim, actor: actor).page
    }

    /// Applies a verified claim once as `actor`; shared with the Slack buttons.
    func apply(_ claim: ActionClaim, actor: String) async -> (page: Response, applied: Bool) {
        do {
            guard try await ledger.useActionToken(nonce: claim.nonce, runID: claim.run, action: claim.action.rawValue,
                                                  actor: actor, at: now()) else {
                return (HTMLResponse.page(.conflict, ActionPage.result(
                    title: "Already used", message: "This link was used before; nothing changed.", status: .alreadyUsed)), false)
            }
        } catch {
            return (HTMLResponse.page(.serviceUnavailable, ActionPage.result(
                title: "Try again", message: "The store is unavailable; nothing changed. Try again in a moment.", status: .invalid)), false)
        }
        do {
            try await coordinator.command(claim.action, runID: claim.run, actor: actor)
        } catch {
            try? await ledger.releaseActionToken(nonce: claim.nonce)
            switch error {
            case .unknownRun:
                return (HTMLResponse.page(.notFound, ActionPage.result(title: "Unknown run", message: error.description, status: .invalid)), false)
            case .finished:
                return (HTMLResponse.page(.gone, ActionPage.result(title: "Run finished", message: error.description, status: .finished)), false)
            case .notApplicable:
                return (HTMLResponse.page(.conflict, ActionPage.result(title: "Not applicable", message: error.description, status: .alreadyUsed)), false)
            }
        }
        logger.notice("run command from a signed link", metadata: ["run": "\(claim.run)", "command": "\(claim.action.rawValue)",
                                                                    "actor": "\(actor)"])
        return (HTMLResponse.page(.ok, ActionPage.result(
            title: "Done", message: "\(Self.verb(claim.action)) run \(claim.run) as \(actor).", status: .done)), true)
    }

    static func refused(_ error: ActionTokenError) -> Response {
        let status: HTTPResponse.Status = error.httpStatus == 410 ? .gone : .forbidden
        return HTMLResponse.page(status, ActionPage.result(title: error.httpStatus == 410 ? "Link expired" : "Invalid link",
                                                           message: error.description, status: error.httpStatus == 410 ? .expired : .invalid))
    }

    static func finished(_ run: Run) -> Response {
        HTMLResponse.page(.gone, ActionPage.result(
            title: "Run finished", message: "Run \(run.id) is \(run.status.rawValue); nothing can change it now.", status: .finished))
    }

    static func summary(_ run: Run) -> ActionPage.RunSummary {
        let next = run.nextStepIndex.map { run.steps[$0].detail }
        return ActionPage.RunSummary(id: run.id, playbook: run.playbook, alert: run.alertName ?? run.alertFingerprint,
                                     status: run.status, nextStep: next)
    }

    /// Who acted, for the run's history: the name given (already cleaned) and the path it came by.
    static func actor(named name: String?, via path: String) -> String {
        guard let name, !name.isEmpty else { return "someone via \(path)" }
        return "\(name) via \(path)"
    }

    static func verb(_ command: RunCommand) -> String {
        switch command {
        case .ack: return "Acknowledged"
        case .hold: return "Held"
        case .resume: return "Resumed"
        case .abort: return "Aborted"
        }
    }
}
