/// The Application Auto Scaling calls Responder makes for ECS services: DescribeScalableTargets and
/// RegisterScalableTarget on the `ecs:service:DesiredCount` dimension.
public struct ApplicationAutoScalingClient: Sendable {
    /// The service namespace used.
    public static let serviceNamespace = "ecs"
    /// The scalable dimension used.
    public static let scalableDimension = "ecs:service:DesiredCount"

    /// The underlying JSON client (service ``AWSService/applicationAutoScaling``).
    public let client: AWSJSONClient

    /// Creates a client over `client`.
    public init(client: AWSJSONClient) {
        self.client = client
    }

    /// A scalable target's bounds.
    public struct ScalableTarget: Sendable, Equatable {
        /// MinCapacity.
        public var min: Int
        /// MaxCapacity.
        public var max: Int

        /// Creates bounds.
        public init(min: Int, max: Int) {
            self.min = min
            self.max = max
        }
    }

    /// `service/<cluster>/<service>`.
    public static func resourceId(cluster: String, service: String) -> String { "service/\(cluster)/\(service)" }

    private enum CodingKeys: String, CodingKey {
        case serviceNamespace = "ServiceNamespace", scalableDimension = "ScalableDimension"
        case resourceIds = "ResourceIds", resourceId = "ResourceId"
        case minCapacity = "MinCapacity", maxCapacity = "MaxCapacity"
    }

    /// The body of DescribeScalableTargets.
    struct DescribeInput: Encodable {
        /// The resource ids asked about.
        var resourceIds: [String]

        /// Encodes with the namespace and dimension.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ApplicationAutoScalingClient.serviceNamespace, forKey: .serviceNamespace)
            try container.encode(ApplicationAutoScalingClient.scalableDimension, forKey: .scalableDimension)
            try container.encode(resourceIds, forKey: .resourceIds)
        }
    }

    /// The body of RegisterScalableTarget.
    struct RegisterInput: Encodable {
        /// The resource id.
        var resourceId: String
        /// MinCapacity.
        var min: Int
        /// MaxCapacity.
        var max: Int

        /// Encodes with the namespace and dimension.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ApplicationAutoScalingClient.serviceNamespace, forKey: .serviceNamespace)
            try container.encode(ApplicationAutoScalingClient.scalableDimension, forKey: .scalableDimension)
            try container.encode(resourceId, forKey: .resourceId)
            try container.encode(min, forKey: .minCapacity)
            try container.encode(max, forKey: .maxCapacity)
        }
    }

    private struct DescribeOutput: Decodable {
        struct Target: Decodable {
            var resourceId: String?
            var minCapacity: Int?
            var maxCapacity: Int?

            enum CodingKeys: String, CodingKey {
                case resourceId = "ResourceId", minCapacity = "MinCapacity", maxCapacity = "MaxCapacity"
            }
        }
        var scalableTargets: [Target]?

        enum CodingKeys: String, CodingKey { case scalableTargets = "ScalableTargets" }
    }

    /// How errors name a resource: `ECS scalable target service/<cluster>/<service> in <region>`.
    func resource(_ resourceId: String) -> String { "ECS scalable target \(resourceId) in \(client.region)" }

    /// The bounds of the scalable target of `resourceId`, nil when none is registered.
    public func describeScalableTarget(resourceId: String) async throws(AWSError) -> ScalableTarget? {
        let output = try await client.call(
            "DescribeScalableTargets", DescribeInput(resourceIds: [resourceId]), resource: resource(resourceId),
            as: DescribeOutput.self)
        guard let target = output.scalableTargets?.first(where: { $0.resourceId == nil || $0.resourceId == resourceId }),
              let min = target.minCapacity, let max = target.maxCapacity
        else { return nil }
        return ScalableTarget(min: min, max: max)
    }

    /// The exact body of RegisterScalableTarget.
    public func registerBody(resourceId: String, min: Int, max: Int) throws(AWSError) -> [UInt8] {
        try AWSJSONClient.encode(RegisterInput(resourceId: resourceId, min: min, max: max))
    }

    /// Registers (creates or updates) the scalable target of `resourceId` with MinCapacity `min`, MaxCapacity `max`.
    public func registerScalableTarget(resourceId: String, min: Int, max: Int) async throws(AWSError) {
        let body = try registerBody(resourceId: resourceId, min: min, max: max)
        _ = try await client.send("RegisterScalableTarget", body: body, resource: resource(resourceId))
    }
}
