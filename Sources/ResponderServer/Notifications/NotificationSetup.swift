import Foundation
import ResponderCore
import ResponderNotify

/// The link keys, link maker and notification channels from the configuration.
public enum NotificationSetup {
    /// The signing keys: from `links.keys_file`, or generated into `<state>/link-keys` (mode 0600) on first start.
    public static func keys(config: ResponderConfig, state: StateDirectory) throws(ConfigError) -> [ActionLinkKey] {
        let path = config.links.keysFile ?? state.file("link-keys")
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            do { return try ActionLinkKeyFile.parse(text) } catch {
                throw ConfigError("\(path): \(error.description)")
            }
        }
        guard config.links.keysFile == nil else {
            throw ConfigError("links.keys_file \(path) cannot be read: create it (one `ID:BASE64SECRET` per line) or unset it")
        }
        let keys = [ActionLinkKey.generate(id: "k1")]
        guard FileManager.default.createFile(atPath: path, contents: Data(ActionLinkKeyFile.serialize(keys).utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw ConfigError("\(path): cannot write the generated link signing key")
        }
        return keys
    }

    /// Where people reach this server: `links.base_url`, else `https://<host name>:<port>`.
    public static func baseURL(config: ResponderConfig, port: Int) -> String {
        config.links.baseURL ?? "https://\(ProcessInfo.processInfo.hostName):\(port)"
    }

    /// The channels configured: Slack with a bot token or a webhook, PagerDuty with a routing key.
    public static func channels(config: ResponderConfig) -> Set<OutboundNotification.Channel> {
        var channels: Set<OutboundNotification.Channel> = []
        if config.slack.botToken != nil || config.slack.webhookURL != nil { channels.insert(.slack) }
        if config.pagerDuty.routingKey != nil { channels.insert(.pagerduty) }
        return channels
    }
}
