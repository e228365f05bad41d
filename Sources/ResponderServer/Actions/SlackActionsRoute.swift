import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ResponderCore
import ResponderNotify

/// `POST /hooks/slack/actions`: Slack's interactive buttons. The request is verified with the app's v0 signing secret
/// over the raw body within a 300 s window, and a replay of an accepted request is refused; the button's value is the
/// same signed token as the links, so the effect is the same (once, by the Slack user who clicked). The run's message
/// is then updated through the outbox like after any change, showing who acted.
struct SlackActionsRoute: Sendable {
    let verifier: SlackRequestVerifier
    let replays: SlackReplayGuard
    let actions: ActionRoutes
    let logger: Logger
    let now: @Sendable () -> Date

    func register(on router: Router<BasicRequestContext>) {
        router.post("/hooks/slack/actions") { request, _ in
            await DeliverySpan.run(request, route: "/hooks/slack/actions", source: "slack") { _ in await self.handle(request) }
        }
    }

    func handle(_ request: Request) async -> Response {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: SlackInteraction.maxBodyBytes) else {
            return JSONResponse.error(.contentTooLarge, "Slack interaction bodies are at most \(SlackInteraction.maxBodyBytes) bytes")
        }
        let body = Array(buffer: buffer)
        let timestamp = HTTPField.Name("X-Slack-Request-Timestamp").flatMap { request.headers[$0] }
        let signature = HTTPField.Name("X-Slack-Signature").flatMap { request.headers[$0] }
        let at = now()
        do {
            try verifier.verify(body: body, timestamp: timestamp, signature: signature, now: at)
            try await replays.admit(timestamp: timestamp ?? "", signature: signature ?? "", now: at)
        } catch {
            logger.warning("Slack interaction refused", metadata: ["reason": "\(error)"])
            return JSONResponse.error(.unauthorized, error.description)
        }
        let interaction: SlackInteraction
        do { interaction = try SlackInteraction.decode(formBody: body) } catch {
            return JSONResponse.error(.badRequest, error.description)
        }
        let claim: ActionClaim
        do { claim = try actions.signer.verify(interaction.value ?? "", now: at) } catch {
            return JSONResponse.error(error.httpStatus == 410 ? .gone : .forbidden, error.description)
        }
        let who = interaction.userName.map { "\($0) (\(interaction.userID))" } ?? interaction.userID
        let outcome = await actions.apply(claim, actor: ActionRoutes.actor(named: who, via: "Slack"))
        logger.info("Slack button", metadata: ["run": "\(claim.run)", "command": "\(claim.action.rawValue)",
                                               "applied": "\(outcome.applied)"])
        // Slack only needs a 200 within 3 s; the message itself is updated through the outbox.
        return Response(status: .ok)
    }
}
