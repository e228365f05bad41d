import Foundation
import ResponderConfiguration
import ResponderCore

/// `config`: the configuration file and its `RESPONDER_*` environment overrides through the loader `serve` uses,
/// then the SNS policy built from it checked as `serve` checks it.
///
/// Input: `YAML NUL environment NUL secret-file`: the file `responder.yaml`, `NAME=value` lines of environment, and
/// the text every `*_file` path reads as (a path reads as missing when the input has no third part).
public enum ConfigTarget {
    /// Loads the configuration the input describes.
    public static func run(_ bytes: [UInt8]) throws {
        let input = FuzzInput(bytes, limit: 3)
        let file = input.text(0)
        let secret = input.optionalText(2)
        let loader = ConfigLoader(environment: input.pairs(1)) { path in
            if path == "responder.yaml" { return file }
            guard let secret else { throw CocoaError(.fileNoSuchFile) }
            return secret
        }
        let config: ResponderConfig
        do {
            config = try loader.load(path: "responder.yaml")
        } catch {
            _ = error.description
            throw error
        }
        _ = SNSPolicy(
            allowedRegions: config.sns.allowedRegions, allowedTopicArns: config.sns.allowedTopicArns,
            maxMessageAge: config.sns.maxMessageAgeSeconds, testingExtraHosts: config.sns.testingExtraHosts
        ).configurationProblems()
    }
}
