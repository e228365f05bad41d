import Foundation

/// The `Status` object the API server returns with a failure (`kind: Status`): its human message and machine reason.
public struct KubernetesStatus: Sendable, Equatable, Decodable {
    /// `Status`.
    public var kind: String?
    /// Human-readable description (`deployments.apps "api" not found`).
    public var message: String?
    /// Machine-readable reason (`NotFound`, `Forbidden`, `Conflict`, `Invalid`).
    public var reason: String?
    /// HTTP status code repeated in the body.
    public var code: Int?

    /// Creates a status.
    public init(kind: String? = "Status", message: String? = nil, reason: String? = nil, code: Int? = nil) {
        self.kind = kind
        self.message = message
        self.reason = reason
        self.code = code
    }

    /// The Status in `body`, or nil when the body is not one (a proxy's HTML page, an empty body).
    public static func parse(_ body: [UInt8]) -> KubernetesStatus? {
        guard let status = try? JSONDecoder().decode(KubernetesStatus.self, from: Data(body)), status.kind == "Status" else {
            return nil
        }
        return status
    }
}
