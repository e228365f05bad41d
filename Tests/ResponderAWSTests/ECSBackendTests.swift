import AsyncHTTPClient
import Foundation
import ResponderAWS
import ResponderCore
import Testing

/// What the ECS backend would send (dry run) and how the factory picks regions, without I/O.
@Suite("ECS backend requests and factory")
struct ECSBackendTests {
    static func factory(defaultRegion: String? = "eu-west-1", endpoint: AWSEndpoint? = nil) -> AWSBackendFactory {
        AWSBackendFactory(
            httpClient: HTTPClient.shared,
            credentials: StaticCredentials(AWSCredentials(accessKeyId: "AKID", secretAccessKey: "secret")),
            defaultRegion: defaultRegion, endpoint: endpoint)
    }

    @Test("setReplicas is UpdateService with sorted keys")
    func updateServiceRequest() throws {
        let backend = try Self.factory().backend(for: Target.ECS(cluster: "hyperverge-prod", service: "worker"))
        #expect(backend.label == "ECS service hyperverge-prod/worker")
        #expect(backend.request(for: .setReplicas(9)) == "POST https://ecs.eu-west-1.amazonaws.com/ "
            + #"(X-Amz-Target: AmazonEC2ContainerServiceV20141113.UpdateService) {"cluster":"hyperverge-prod","desiredCount":9,"service":"worker"}"#)
    }

    @Test("setAutoscaler is RegisterScalableTarget in the target's own region")
    func registerRequest() throws {
        let target = Target.ECS(cluster: "c", service: "s", region: "ap-south-1", scalableTarget: true)
        let backend = try Self.factory().backend(for: target)
        #expect(backend.request(for: .setAutoscaler(min: 2, max: 20)) == "POST https://application-autoscaling.ap-south-1.amazonaws.com/ "
            + "(X-Amz-Target: AnyScaleFrontendService.RegisterScalableTarget) "
            + #"{"MaxCapacity":20,"MinCapacity":2,"ResourceId":"service/c/s","ScalableDimension":"ecs:service:DesiredCount","ServiceNamespace":"ecs"}"#)
    }

    @Test("unsupported operations say so; an endpoint override shows in the request")
    func unsupported() throws {
        let backend = try Self.factory(endpoint: AWSEndpoint(url: "http://127.0.0.1:5000"))
            .backend(for: Target.ECS(cluster: "c", service: "s"))
        #expect(backend.request(for: .setAutoscaler(min: 1, max: 2)).contains("no scalable target"))
        #expect(backend.request(for: .setEnvironment(["A": "1"])).contains("not supported"))
        #expect(backend.request(for: .setReplicas(1)).hasPrefix("POST http://127.0.0.1:5000/ "))
    }

    @Test("a target without a region and no default region is a permanent error")
    func noRegion() throws {
        let error = try #require(throws: BackendError.self) {
            _ = try Self.factory(defaultRegion: nil).backend(for: Target.ECS(cluster: "c", service: "s"))
        }
        #expect(!error.retryable)
        #expect(error.message.contains("c/s"))
        #expect(error.message.contains("AWS_REGION"))
    }

    @Test("fromEnvironment reads the region and endpoint")
    func fromEnvironment() throws {
        let factory = AWSBackendFactory.fromEnvironment(
            ["AWS_DEFAULT_REGION": "us-west-2", "AWS_ENDPOINT_URL": "http://127.0.0.1:4566"], httpClient: HTTPClient.shared)
        #expect(factory.defaultRegion == "us-west-2")
        #expect(factory.endpoint == AWSEndpoint(url: "http://127.0.0.1:4566"))
        #expect(AWSBackendFactory.fromEnvironment(["AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "x"],
                                                  httpClient: HTTPClient.shared).defaultRegion == "eu-central-1")
    }
}
