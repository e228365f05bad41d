/// An AWS JSON (1.0 or 1.1) API: how it is signed, addressed and named in IAM.
public struct AWSService: Sendable, Equatable {
    /// The SigV4 signing name (credential scope service), e.g. `ecs`.
    public var signingName: String
    /// The endpoint prefix in `https://<prefix>.<region>.amazonaws.com`.
    public var endpointPrefix: String
    /// The `X-Amz-Target` prefix, e.g. `AmazonEC2ContainerServiceV20141113`.
    public var targetPrefix: String
    /// The IAM action prefix, e.g. `ecs` in `ecs:UpdateService`.
    public var iamPrefix: String
    /// The AWS JSON protocol version: `1.1` (ECS, Application Auto Scaling) or `1.0` (CloudWatch).
    public var jsonVersion: String

    /// Creates a service description.
    public init(signingName: String, endpointPrefix: String, targetPrefix: String, iamPrefix: String, jsonVersion: String = "1.1") {
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.targetPrefix = targetPrefix
        self.iamPrefix = iamPrefix
        self.jsonVersion = jsonVersion
    }

    /// The `Content-Type` of its requests: `application/x-amz-json-1.1` or `-1.0`.
    public var contentType: String { "application/x-amz-json-\(jsonVersion)" }

    /// Amazon ECS.
    public static let ecs = AWSService(
        signingName: "ecs", endpointPrefix: "ecs", targetPrefix: "AmazonEC2ContainerServiceV20141113", iamPrefix: "ecs")

    /// Application Auto Scaling.
    public static let applicationAutoScaling = AWSService(
        signingName: "application-autoscaling", endpointPrefix: "application-autoscaling",
        targetPrefix: "AnyScaleFrontendService", iamPrefix: "application-autoscaling")

    /// Amazon CloudWatch (metrics), on its AWS JSON 1.0 protocol (`monitoring.<region>.amazonaws.com`).
    public static let cloudWatch = AWSService(
        signingName: "monitoring", endpointPrefix: "monitoring", targetPrefix: "GraniteServiceVersion20100801",
        iamPrefix: "cloudwatch", jsonVersion: "1.0")

    /// The IAM permission an operation needs, e.g. `ecs:UpdateService`.
    public func permission(_ operation: String) -> String { "\(iamPrefix):\(operation)" }
}
