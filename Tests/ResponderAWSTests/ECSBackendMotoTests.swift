import AsyncHTTPClient
import Foundation
import ResponderAWS
import ResponderCore
import Testing

/// ECS, Application Auto Scaling and STS through Responder's clients against a real moto server: what is written
/// is read back.
@Suite("ECS backend and STS against moto server", .moto)
struct ECSBackendMotoTests {
    static let region = "eu-west-1"

    /// A factory pointed at the suite's moto server with fixed credentials.
    static func factory(credentials: any AWSCredentialProvider = StaticCredentials(
        AWSCredentials(accessKeyId: "AKIDMOTO", secretAccessKey: "moto-secret-key", sessionToken: "moto-session-token")
    )) throws -> AWSBackendFactory {
        let moto = try MotoServer.required()
        return AWSBackendFactory(
            httpClient: HTTPClient.shared, credentials: credentials, defaultRegion: region,
            endpoint: AWSEndpoint(url: moto.endpoint))
    }

    /// Input of CreateCluster.
    struct CreateCluster: Encodable { var clusterName: String }
    /// Input of RegisterTaskDefinition.
    struct RegisterTaskDefinition: Encodable {
        struct Container: Encodable { var name: String; var image: String; var memory: Int }
        var family: String
        var containerDefinitions: [Container]
    }
    /// Input of CreateService.
    struct CreateService: Encodable {
        var cluster: String
        var serviceName: String
        var taskDefinition: String
        var desiredCount: Int
    }
    /// Input of DeleteService.
    struct DeleteService: Encodable { var cluster: String; var service: String; var force: Bool }

    /// Creates a cluster and a service with 2 tasks (names unique to the test) and returns its target.
    static func makeService(_ factory: AWSBackendFactory, scalableTarget: Bool = false) async throws -> Target.ECS {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let target = Target.ECS(cluster: "cluster-\(suffix)", service: "worker-\(suffix)", scalableTarget: scalableTarget)
        let ecs = factory.client(.ecs, region: region)
        _ = try await ecs.call("CreateCluster", CreateCluster(clusterName: target.cluster), resource: "cluster", as: AWSNoOutput.self)
        _ = try await ecs.call("RegisterTaskDefinition", RegisterTaskDefinition(
            family: "td-\(suffix)", containerDefinitions: [.init(name: "app", image: "nginx", memory: 128)]),
            resource: "task definition", as: AWSNoOutput.self)
        _ = try await ecs.call("CreateService", CreateService(
            cluster: target.cluster, serviceName: target.service, taskDefinition: "td-\(suffix)", desiredCount: 2),
            resource: "service", as: AWSNoOutput.self)
        return target
    }

    @Test("setReplicas sets desiredCount and replicas() reads it back")
    func replicasRoundTrip() async throws {
        let factory = try Self.factory()
        let target = try await Self.makeService(factory)
        let backend = try factory.backend(for: target)
        #expect(backend.label == "ECS service \(target.cluster)/\(target.service)")
        #expect(try await backend.replicas() == 2)
        try await backend.setReplicas(7)
        #expect(try await backend.replicas() == 7)
        let state = try await backend.ecs.describeService(cluster: target.cluster, service: target.service)
        #expect(state.desiredCount == 7)
        #expect(state.status == "ACTIVE")
        try await backend.setReplicas(7)  // absolute: repeating is harmless
        #expect(try await backend.replicas() == 7)
    }

    @Test("a scalable target's capacity read back outside 0 to 100,000 is a permanent error naming the field")
    func capacityOutsideTheRange() async throws {
        let factory = try Self.factory()
        let target = try await Self.makeService(factory, scalableTarget: true)
        let backend = try factory.backend(for: target)
        try await backend.autoScaling.registerScalableTarget(resourceId: backend.resourceId, min: 1, max: 100_000)
        #expect(try await backend.autoscaler() == AutoscalerState(min: 1, max: 100_000, desired: nil))
        try await backend.autoScaling.registerScalableTarget(resourceId: backend.resourceId, min: 1, max: 100_001)
        let error = await #expect(throws: BackendError.self) { try await backend.autoscaler() }
        #expect(error?.retryable == false)
        #expect(error?.message.contains("scalable target reported MaxCapacity 100001, outside the 0 to 100,000") == true,
                "\(String(describing: error))")
    }

    @Test("setAutoscaler registers min/max and autoscaler() reads them back")
    func autoscalerRoundTrip() async throws {
        let factory = try Self.factory()
        let target = try await Self.makeService(factory, scalableTarget: true)
        let backend = try factory.backend(for: target)
        #expect(try await backend.autoscaler() == nil, "nothing registered yet")
        try await backend.autoScaling.registerScalableTarget(resourceId: backend.resourceId, min: 1, max: 4)
        #expect(try await backend.autoscaler() == AutoscalerState(min: 1, max: 4, desired: nil))
        try await backend.setAutoscaler(min: 3, max: 12)
        #expect(try await backend.autoscaler() == AutoscalerState(min: 3, max: 12, desired: nil))
        let stored = try await backend.autoScaling.describeScalableTarget(resourceId: "service/\(target.cluster)/\(target.service)")
        #expect(stored == .init(min: 3, max: 12))
    }

    @Test("without scalable_target there is no autoscaler and setting one is refused")
    func noScalableTarget() async throws {
        let factory = try Self.factory()
        let target = try await Self.makeService(factory, scalableTarget: false)
        let backend = try factory.backend(for: target)
        #expect(try await backend.autoscaler() == nil)
        let error = try await #require(throws: BackendError.self) { try await backend.setAutoscaler(min: 1, max: 2) }
        #expect(!error.retryable)
        #expect(error.message.contains("no scalable target"))
    }

    @Test("a missing service or cluster is a permanent not-found error naming it")
    func missingService() async throws {
        let factory = try Self.factory()
        let target = try await Self.makeService(factory)
        let missing = try factory.backend(for: Target.ECS(cluster: target.cluster, service: "no-such-service"))
        let read = try await #require(throws: BackendError.self) { _ = try await missing.replicas() }
        #expect(!read.retryable)
        #expect(read.message.contains("ECS service \(target.cluster)/no-such-service"))
        #expect(read.message.contains("not found"))
        let write = try await #require(throws: BackendError.self) { try await missing.setReplicas(3) }
        #expect(!write.retryable)
        #expect(write.message.contains("\(target.cluster)/no-such-service"))
        #expect(write.message.contains("ServiceNotFoundException"))

        let noCluster = try factory.backend(for: Target.ECS(cluster: "no-such-cluster", service: target.service))
        let clusterError = try await #require(throws: BackendError.self) { _ = try await noCluster.replicas() }
        #expect(!clusterError.retryable)
        #expect(clusterError.message.contains("no-such-cluster/\(target.service)"))
        #expect(clusterError.message.contains("ClusterNotFoundException"))
    }

    @Test("a deleted (INACTIVE) service is not found")
    func inactiveService() async throws {
        let factory = try Self.factory()
        let target = try await Self.makeService(factory)
        _ = try await factory.client(.ecs, region: Self.region).call(
            "DeleteService", DeleteService(cluster: target.cluster, service: target.service, force: true),
            resource: "service", as: AWSNoOutput.self)
        let error = try await #require(throws: BackendError.self) { _ = try await factory.backend(for: target).replicas() }
        #expect(!error.retryable)
        #expect(error.message.contains("INACTIVE"))
        #expect(error.message.contains(target.service))
    }

    @Test("web identity: the token file is exchanged at moto's STS, and the credentials sign ECS calls")
    func webIdentityAgainstMoto() async throws {
        let moto = try MotoServer.required()
        let directory = try TempDirectory()
        let tokenFile = try directory.write("token", "eyJhbGciOiJSUzI1NiJ9.payload.signature")
        let provider = WebIdentityCredentialProvider(
            environment: [
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
                "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/responder",
                "AWS_ROLE_SESSION_NAME": "responder-test",
            ],
            httpClient: HTTPClient.shared, stsEndpoint: moto.endpoint)
        let credentials = try await provider.credentials()
        #expect(!credentials.accessKeyId.isEmpty)
        #expect(!credentials.secretAccessKey.isEmpty)
        #expect(credentials.sessionToken?.isEmpty == false)
        let expiration = try #require(credentials.expiration)
        #expect(expiration > Date().addingTimeInterval(600), "moto grants an hour")
        #expect(try await provider.credentials() == credentials, "cached while fresh")

        let factory = try Self.factory(credentials: provider)
        let target = try await Self.makeService(factory)
        let backend = try factory.backend(for: target)
        try await backend.setReplicas(5)
        #expect(try await backend.replicas() == 5)
    }
}
