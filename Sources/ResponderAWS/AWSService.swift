/// An AWS JSON 1.1 API: how it is signed, addressed and named in IAM.
public struct AWSService: Sendable, Equatable {
    /// The SigV4 signing name (credential scope service), e.g. `ecs`.
    public var signingName: String
    /// The endpoint prefix in `https://<prefix>.<region>.amazonaws.com`.
    public var endpointPrefix: String
    /// The `X-Amz-Target` prefix, e.g. `AmazonEC2ContainerServiceV20141113`.
    public var targetPrefix: String
    /// The IAM action prefix, e.g. `ecs` in `ecs:UpdateService`.
    public var iamPrefix: String

    /// Creates a service description.
    public init(signingName: String, endpointPrefix: String, targetPrefix: String, iamPrefix: String) {
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.targetPrefix = targetPrefix
        self.iamPrefix = iamPrefix
    }

    /// Amazon ECS.
    public static let ecs = AWSService(
        signingName: "ecs", endpointPrefix: "ecs", targetPrefix: "AmazonEC2ContainerServiceV20141113", iamPrefix: "ecs")

    /// Application Auto Scaling.
    public static let applicationAutoScaling = AWSService(
        signingName: "application-autoscaling", endpointPrefix: "application-autoscaling",
        targetPrefix: "AnyScaleFrontendService", iamPrefix: "application-autoscaling")

    /// The IAM permission an operation needs, e.g. `ecs:UpdateService`.
    public func permission(_ operation: String) -> String { "\(iamPrefix):\(operation)" }
}
