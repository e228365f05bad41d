/// The Amazon ECS calls Responder makes: DescribeServices and UpdateService.
public struct ECSClient: Sendable {
    /// The underlying JSON client (service ``AWSService/ecs``).
    public let client: AWSJSONClient

    /// Creates a client over `client`.
    public init(client: AWSJSONClient) {
        self.client = client
    }

    /// What DescribeServices says about one service.
    public struct ServiceState: Sendable, Equatable {
        /// The desired task count.
        public var desiredCount: Int
        /// The running task count.
        public var runningCount: Int
        /// `ACTIVE`, `DRAINING` or `INACTIVE`.
        public var status: String

        /// Creates a state.
        public init(desiredCount: Int, runningCount: Int, status: String) {
            self.desiredCount = desiredCount
            self.runningCount = runningCount
            self.status = status
        }
    }

    /// The body of DescribeServices.
    struct DescribeServicesInput: Encodable {
        /// Cluster name or ARN.
        var cluster: String
        /// Service names or ARNs.
        var services: [String]
    }

    /// The body of UpdateService.
    struct UpdateServiceInput: Encodable {
        /// Cluster name or ARN.
        var cluster: String
        /// The new desired count.
        var desiredCount: Int
        /// Service name or ARN.
        var service: String
    }

    private struct DescribeServicesOutput: Decodable {
        struct Service: Decodable {
            var serviceName: String?
            var status: String?
            var desiredCount: Int?
            var runningCount: Int?
        }
        struct Failure: Decodable {
            var arn: String?
            var reason: String?
            var detail: String?
        }
        var services: [Service]?
        var failures: [Failure]?
    }

    /// How errors name a service: `ECS service <cluster>/<service> in <region>`.
    public func resource(cluster: String, service: String) -> String {
        "ECS service \(cluster)/\(service) in \(client.region)"
    }

    /// The desired and running counts and status of `service`; a service that is missing, INACTIVE or DRAINING is
    /// a not-found error.
    public func describeService(cluster: String, service: String) async throws(AWSError) -> ServiceState {
        let resource = resource(cluster: cluster, service: service)
        let output = try await client.call(
            "DescribeServices", DescribeServicesInput(cluster: cluster, services: [service]), resource: resource,
            as: DescribeServicesOutput.self)
        let operation = client.service.permission("DescribeServices")
        if let failure = output.failures?.first {
            let reason = [failure.reason, failure.detail].compactMap { $0 }.joined(separator: ": ")
            throw .notFound(
                AWSErrorDetail(operation: operation, status: 200, code: failure.reason ?? "MISSING", message: reason),
                resource: resource)
        }
        guard let found = output.services?.first, let desired = found.desiredCount else {
            throw .notFound(
                AWSErrorDetail(operation: operation, status: 200, code: "MISSING", message: "no such service"),
                resource: resource)
        }
        let status = found.status ?? "ACTIVE"
        guard status != "INACTIVE" && status != "DRAINING" else {
            throw .notFound(
                AWSErrorDetail(operation: operation, status: 200, code: status, message: "the service is \(status)"),
                resource: resource)
        }
        return ServiceState(desiredCount: desired, runningCount: found.runningCount ?? 0, status: status)
    }

    /// The exact body of UpdateService.
    public func updateServiceBody(cluster: String, service: String, desiredCount: Int) throws(AWSError) -> [UInt8] {
        try AWSJSONClient.encode(UpdateServiceInput(cluster: cluster, desiredCount: desiredCount, service: service))
    }

    /// Sets the desired count of `service`.
    public func updateService(cluster: String, service: String, desiredCount: Int) async throws(AWSError) {
        let body = try updateServiceBody(cluster: cluster, service: service, desiredCount: desiredCount)
        _ = try await client.send("UpdateService", body: body, resource: resource(cluster: cluster, service: service))
    }
}
