// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "responder",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "responder", targets: ["responder"]),
        .library(name: "ResponderCore", targets: ["ResponderCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // Only the OTLP/HTTP exporter: the default traits would also build gRPC.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // Pure domain logic: no I/O, no networking, no storage.
        .target(
            name: "ResponderCore",
            dependencies: [.product(name: "HeapModule", package: "swift-collections")],
            swiftSettings: strict
        ),
        // Spans and W3C trace-context propagation shared by the adapters (the swift-distributed-tracing API only;
        // the OpenTelemetry exporter is bootstrapped by `serve`).
        .target(
            name: "ResponderTracing",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        // SNS signature verification and signing-certificate retrieval.
        .target(
            name: "ResponderSNS",
            dependencies: [
                "ResponderCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: strict
        ),
        // The HTTP side of SNS: signing-certificate downloads and subscription confirmation through AsyncHTTPClient
        // (apart so the fuzzer builds ResponderSNS without the NIO stack).
        .target(
            name: "ResponderSNSHTTP",
            dependencies: [
                "ResponderTracing",
                "ResponderSNS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The durable alert journal on SQLite.
        .target(
            name: "ResponderStore",
            dependencies: [
                "ResponderCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // The configuration file, environment overrides and secrets: parsing only, no I/O beyond reading files.
        .target(
            name: "ResponderConfiguration",
            dependencies: [
                "ResponderCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The runtime that drives the pure core: the one run driver over the store port, its timer and ingest loops,
        // the notification outbox service, playbook reloads, and the injected clock. No HTTP.
        .target(
            name: "ResponderRuntime",
            dependencies: [
                "ResponderTracing",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "ResponderCore",
                "ResponderNotify",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ResponderRuntimeTests",
            dependencies: [
                "ResponderRuntime",
                "ResponderCore",
                "ResponderPlaybooks",
                "ResponderStore",
                "ResponderTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // HTTP ingest, TLS, configuration and the wiring of `serve`.
        .target(
            name: "ResponderServer",
            dependencies: [
                .product(name: "OTel", package: "swift-otel"),
                "ResponderTracing",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "ResponderRuntime",
                "ResponderConfiguration",
                "ResponderCore",
                "ResponderSNS",
                "ResponderSNSHTTP",
                "ResponderStore",
                "ResponderPostgres",
                "ResponderPlaybooks",
                "ResponderExecutors",
                "ResponderAWS",
                "ResponderNotify",
                "ResponderNotifyHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The shared store on PostgreSQL, for several replicas.
        .target(
            name: "ResponderPostgres",
            dependencies: [
                "ResponderCore",
                "ResponderStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ResponderPostgresTests",
            dependencies: [
                "ResponderPostgres",
                "ResponderCore",
                "ResponderStore",
                "ResponderTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(name: "ResponderPlaybooks", dependencies: ["ResponderCore", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // glibc malloc settings for the server (mallopt and its constants live in <malloc.h>).
        .target(name: "CMallocTuning"),
        .executableTarget(
            name: "responder",
            dependencies: [
                "CMallocTuning",
                "ResponderServer",
                "ResponderPlaybooks",
                "ResponderPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // AWS request signing (SigV4) and credentials.
        .target(
            name: "ResponderAWS",
            dependencies: [
                "ResponderTracing",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "ResponderCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Executors that act on the world: commands, docker compose, HTTP calls.
        .target(
            name: "ResponderExecutors",
            dependencies: [
                "ResponderTracing",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "ResponderCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ResponderAWSTests",
            dependencies: [
                "ResponderAWS",
                "ResponderCore",
                "ResponderExecutors",
                "ResponderTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ResponderExecutorsTests",
            dependencies: [
                "ResponderExecutors",
                "ResponderCore",
                "ResponderTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        // The Block Kit and PagerDuty rendering of a run, signed action links, Slack request signatures (no I/O).
        .target(
            name: "ResponderNotify",
            dependencies: [
                "ResponderCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The Slack and PagerDuty clients over AsyncHTTPClient (apart so the fuzzer builds ResponderNotify without NIO).
        .target(
            name: "ResponderNotifyHTTP",
            dependencies: [
                "ResponderTracing",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "ResponderNotify",
                "ResponderCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ResponderNotifyTests",
            dependencies: [
                "ResponderNotify",
                "ResponderNotifyHTTP",
                "ResponderCore",
                "ResponderTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        // Helpers shared by the test targets (holding a real SQLite lock from another connection).
        .target(
            name: "ResponderTestSupport",
            dependencies: [
                "ResponderCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/ResponderTestSupport",
            swiftSettings: strict
        ),
        // libFuzzer target bodies, one type per parser or decision function that takes outside input (fuzz/README.md).
        .target(
            name: "ResponderFuzzTargets",
            dependencies: [
                "ResponderCore",
                "ResponderPlaybooks",
                "ResponderSNS",
                "ResponderNotify",
                "ResponderConfiguration",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: strict
        ),
        // The fuzzer (scripts/fuzz builds it with --sanitize fuzzer -DRESPONDER_FUZZ); a plain build replays files.
        .executableTarget(
            name: "responder-fuzz",
            dependencies: ["ResponderFuzzTargets"],
            path: "Sources/ResponderFuzz",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ResponderFuzzTests",
            dependencies: ["ResponderFuzzTargets", "ResponderCore"],
            swiftSettings: strict
        ),
        // Benchmarks run by hand (bench/), not in CI.
        .executableTarget(
            name: "responder-bench",
            dependencies: [
                "ResponderServer",
                "ResponderRuntime",
                "ResponderStore",
                "ResponderCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Sources/ResponderBench",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ResponderCoreTests",
            dependencies: ["ResponderCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ResponderSNSTests",
            dependencies: [
                "ResponderSNS",
                "ResponderSNSHTTP",
                "ResponderCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(name: "ResponderPlaybooksTests", dependencies: ["ResponderPlaybooks", "ResponderCore"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "ResponderStoreTests",
            dependencies: ["ResponderStore", "ResponderCore", "ResponderTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ResponderServerTests",
            dependencies: [
                "ResponderTracing",
                "ResponderServer",
                "ResponderRuntime",
                "ResponderConfiguration",
                "ResponderCore",
                "ResponderStore",
                "ResponderPostgres",
                "ResponderSNS",
                "ResponderSNSHTTP",
                "ResponderNotify",
                "ResponderNotifyHTTP",
                "ResponderTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ]
)
