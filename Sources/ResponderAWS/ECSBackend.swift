import ResponderCore

/// An ECS service as a ``ScalingBackend``: replicas are the service's desiredCount (DescribeServices /
/// UpdateService); when the target says so, the autoscaler is its Application Auto Scaling scalable target
/// (DescribeScalableTargets / RegisterScalableTarget).
public struct ECSBackend: ScalingBackend {
    /// The target's coordinates.
    public let target: Target.ECS
    /// ECS in the target's region.
    public let ecs: ECSClient
    /// Application Auto Scaling in the target's region.
    public let autoScaling: ApplicationAutoScalingClient

    /// Creates the backend of `target` over clients of its region.
    public init(_ target: Target.ECS, ecs: ECSClient, autoScaling: ApplicationAutoScalingClient) {
        self.target = target
        self.ecs = ecs
        self.autoScaling = autoScaling
    }

    /// `ECS service <cluster>/<service>`.
    public var label: String { "ECS service \(target.cluster)/\(target.service)" }

    /// `service/<cluster>/<service>`.
    public var resourceId: String {
        ApplicationAutoScalingClient.resourceId(cluster: target.cluster, service: target.service)
    }

    /// The service's desiredCount (0 to 100,000, else a permanent error).
    public func replicas() async throws(BackendError) -> Int {
        let count: Int
        do {
            count = try await ecs.describeService(cluster: target.cluster, service: target.service).desiredCount
        } catch {
            throw error.backendError(label: label)
        }
        return try BackendError.checkedCount(count, "desiredCount", of: label)
    }

    /// UpdateService with the new desiredCount.
    public func setReplicas(_ count: Int) async throws(BackendError) {
        do {
            try await ecs.updateService(cluster: target.cluster, service: target.service, desiredCount: count)
        } catch {
            throw error.backendError(label: label)
        }
    }

    /// The scalable target's MinCapacity/MaxCapacity (desired unknown); nil when the target has no scalable target
    /// configured, or none is registered in AWS.
    public func autoscaler() async throws(BackendError) -> AutoscalerState? {
        guard target.scalableTarget else { return nil }
        let state: AutoscalerState?
        do {
            state = try await autoScaling.describeScalableTarget(resourceId: resourceId)
                .map { AutoscalerState(min: $0.min, max: $0.max, desired: nil) }
        } catch {
            throw error.backendError(label: label)
        }
        return try BackendError.checkedAutoscaler(state, fields: ("MinCapacity", "MaxCapacity", "-"),
                                                  of: "\(label)'s scalable target")
    }

    /// RegisterScalableTarget with the new MinCapacity and MaxCapacity; refused when the target has no scalable target.
    public func setAutoscaler(min: Int, max: Int) async throws(BackendError) {
        guard target.scalableTarget else { throw .permanent(noScalableTarget) }
        do {
            try await autoScaling.registerScalableTarget(resourceId: resourceId, min: min, max: max)
        } catch {
            throw error.backendError(label: label)
        }
    }

    /// The exact call an operation would make, e.g. `POST https://ecs.eu-west-1.amazonaws.com/
    /// (X-Amz-Target: AmazonEC2ContainerServiceV20141113.UpdateService) {"cluster":"c","desiredCount":9,"service":"s"}`.
    public func request(for operation: BackendOperation) -> String {
        do {
            switch operation {
            case .setReplicas(let count):
                let body = try ecs.updateServiceBody(cluster: target.cluster, service: target.service, desiredCount: count)
                return ecs.client.describe("UpdateService", body: body)
            case .setAutoscaler(let min, let max):
                guard target.scalableTarget else { return noScalableTarget }
                let body = try autoScaling.registerBody(resourceId: resourceId, min: min, max: max)
                return autoScaling.client.describe("RegisterScalableTarget", body: body)
            case .setEnvironment, .setAnnotations:
                return "\(label): not supported (env and annotate actions need a Kubernetes target)"
            }
        } catch {
            return "\(label): \(error)"
        }
    }

    private var noScalableTarget: String {
        "\(label) has no scalable target Responder manages: set scalable_target in the target or remove the "
            + "autoscaler action"
    }
}
