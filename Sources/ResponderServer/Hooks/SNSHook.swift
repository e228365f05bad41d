import Foundation
import Hummingbird
import ResponderCore

/// `POST /hooks/sns`: placeholder type until the SNS processor is wired in.
public struct SNSHook: Sendable {
    func handle(_ request: Request, context: some RequestContext) async -> Response {
        JSONResponse.error(.notFound, "SNS ingest is not configured")
    }
}
