import Foundation
import ResponderCore
import Testing

private let policy = SNSPolicy(
    allowedRegions: ["us-east-1", "us-east-2"],
    allowedTopicArns: [
        "arn:aws:sns:us-east-2:295079676684:alarms",
        "arn:aws:sns:us-east-1:111122223333:*",
    ]
)

@Suite("SNSPolicy")
struct SNSPolicyTests {
    @Test(arguments: [
        "https://sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
        "https://SNS.US-EAST-1.AMAZONAWS.COM/SimpleNotificationService-abc.pem",
        "https://sns.us-east-1.amazonaws.com:443/certs/SimpleNotificationService-abc.pem",
    ])
    func acceptsSNSCertificateURLs(url: String) throws {
        let checked = try policy.checkSigningCertURL(url)
        #expect(checked.absoluteString == url)
    }

    @Test(arguments: [
        ("http scheme", "http://sns.us-east-2.amazonaws.com/SimpleNotificationService-abc.pem", "https"),
        ("wrong region", "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem", "sns.allowed_regions"),
        ("evil suffix", "https://sns.us-east-2.amazonaws.com.evil.com/SimpleNotificationService-abc.pem", "host"),
        ("evil prefix", "https://evilsns.us-east-2.amazonaws.com/SimpleNotificationService-abc.pem", "host"),
        ("host in path", "https://evil.com/sns.us-east-2.amazonaws.com/x.pem", "host"),
        ("userinfo", "https://sns.us-east-2.amazonaws.com@evil.com/x.pem", "user info"),
        ("userinfo before good host", "https://evil.com@sns.us-east-2.amazonaws.com/x.pem", "user info"),
        ("port", "https://sns.us-east-2.amazonaws.com:8443/SimpleNotificationService-abc.pem", "port"),
        ("not pem", "https://sns.us-east-2.amazonaws.com/SimpleNotificationService-abc.txt", ".pem"),
        ("no path", "https://sns.us-east-2.amazonaws.com", ".pem"),
        ("traversal", "https://sns.us-east-2.amazonaws.com/a/../SimpleNotificationService-abc.pem", ".."),
        ("encoded traversal", "https://sns.us-east-2.amazonaws.com/%2e%2e/x.pem", ".pem"),
        ("query", "https://sns.us-east-2.amazonaws.com/x.pem?y=1", "query"),
        ("fragment", "https://sns.us-east-2.amazonaws.com/x.pem#frag", "fragment"),
        ("backslash", "https://sns.us-east-2.amazonaws.com\\@evil.com/x.pem", "backslash"),
        ("whitespace", "https://sns.us-east-2.amazonaws.com /x.pem", "spaces"),
        ("relative", "//sns.us-east-2.amazonaws.com/x.pem", "absolute"),
        ("empty", "", "empty"),
        ("trailing dot host", "https://sns.us-east-2.amazonaws.com./x.pem", "host"),
    ])
    func refusesBadCertificateURLs(name: String, url: String, reason: String) {
        let error = #expect(throws: IngestError.self, "\(name)") { try policy.checkSigningCertURL(url) }
        guard case .forbidden(let text) = error else { Issue.record("\(name): wrong error \(String(describing: error))"); return }
        #expect(text.hasPrefix("SigningCertURL"), "\(name)")
        #expect(text.contains(reason), "\(name): \(text)")
    }

    @Test func acceptsSubscribeURLWithQuery() throws {
        let url = "https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-2:295079676684:alarms&Token=abc"
        #expect(try policy.checkSubscribeURL(url).absoluteString == url)
    }

    @Test(arguments: [
        "http://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&Token=secret-token",
        "https://sns.us-east-2.amazonaws.com.evil.com/?Action=ConfirmSubscription&Token=secret-token",
        "https://evil.com/sns.us-east-2.amazonaws.com/?Token=secret-token",
        "https://user@sns.us-east-2.amazonaws.com/?Token=secret-token",
        "https://sns.us-east-2.amazonaws.com:8443/?Token=secret-token",
        "https://sns.eu-west-1.amazonaws.com/?Token=secret-token",
    ])
    func refusesBadSubscribeURLsWithoutEchoingToken(url: String) {
        let error = #expect(throws: IngestError.self) { try policy.checkSubscribeURL(url) }
        guard case .forbidden(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.hasPrefix("SubscribeURL"))
        #expect(!text.contains("secret-token"))
    }

    @Test func testingExtraHostsOnlyWhenConfigured() throws {
        let url = "http://127.0.0.1:4566/_aws/sns/SimpleNotificationService-local.pem"
        #expect(throws: IngestError.self) { try policy.checkSigningCertURL(url) }
        var local = policy
        local.testingExtraHosts = ["http://127.0.0.1:4566"]
        #expect(try local.checkSigningCertURL(url).absoluteString == url)
        // Same host, other port or scheme: still refused.
        #expect(throws: IngestError.self) { try local.checkSigningCertURL("http://127.0.0.1:4567/x.pem") }
        #expect(throws: IngestError.self) { try local.checkSigningCertURL("https://127.0.0.1:4566/x.pem") }
        // Without a scheme, https is implied.
        local.testingExtraHosts = ["127.0.0.1:4566"]
        #expect(throws: IngestError.self) { try local.checkSigningCertURL(url) }
        #expect(try local.checkSigningCertURL("https://127.0.0.1:4566/x.pem").host == "127.0.0.1")
    }

    @Test func chinaRegionsUseTheirOwnDomain() throws {
        let china = SNSPolicy(allowedRegions: ["cn-north-1"], allowedTopicArns: [])
        #expect(throws: Never.self) { try china.checkSigningCertURL("https://sns.cn-north-1.amazonaws.com.cn/x.pem") }
        #expect(throws: IngestError.self) { try china.checkSigningCertURL("https://sns.cn-north-1.amazonaws.com/x.pem") }
    }

    @Test(arguments: [
        ("arn:aws:sns:us-east-2:295079676684:alarms", true),
        ("arn:aws:sns:us-east-2:295079676684:alarms2", false),
        ("arn:aws:sns:us-east-2:295079676684:alarm", false),
        ("arn:aws:sns:us-east-1:295079676684:alarms", false),
        ("arn:aws:sns:us-east-1:111122223333:anything", true),
        ("arn:aws:sns:us-east-1:111122223333:", false),
        ("arn:aws:sns:us-east-1:111122223334:anything", false),
        ("arn:aws:sns:us-east-2:111122223333:anything", false),
        ("arn:aws:sns:us-east-1:111122223333:a:b", false),
    ])
    func topicAllowlist(topic: String, allowed: Bool) {
        if allowed {
            #expect(throws: Never.self) { try policy.checkTopicArn(topic) }
        } else {
            let error = #expect(throws: IngestError.self) { try policy.checkTopicArn(topic) }
            guard case .forbidden(let text) = error else { Issue.record("wrong error"); return }
            #expect(text.contains("is not in sns.allowed_topic_arns"))
        }
    }

    @Test func wildcardOnlyAsWholeLastSegment() {
        let odd = SNSPolicy(allowedRegions: ["us-east-1"], allowedTopicArns: ["arn:aws:sns:us-east-1:*:alarms", "arn:aws:sns:*", "*"])
        #expect(throws: IngestError.self) { try odd.checkTopicArn("arn:aws:sns:us-east-1:111122223333:alarms") }
        #expect(odd.configurationProblems().count == 3)
        #expect(policy.configurationProblems().isEmpty)
        #expect(SNSPolicy(allowedRegions: [], allowedTopicArns: []).configurationProblems().count == 2)
    }

    @Test func emptyAllowlistRefusesEverything() {
        let none = SNSPolicy(allowedRegions: ["us-east-2"], allowedTopicArns: [])
        #expect(throws: IngestError.self) { try none.checkTopicArn("arn:aws:sns:us-east-2:295079676684:alarms") }
    }

    @Test func freshness() throws {
        let sent = try #require(RFC3339.parse("2022-07-28T21:23:58.317Z"))
        #expect(throws: Never.self) { try policy.checkFreshness(timestamp: sent, now: sent) }
        #expect(throws: Never.self) { try policy.checkFreshness(timestamp: sent, now: sent.addingTimeInterval(3599)) }
        #expect(throws: Never.self) { try policy.checkFreshness(timestamp: sent, now: sent.addingTimeInterval(-299)) }

        let stale = #expect(throws: IngestError.self) { try policy.checkFreshness(timestamp: sent, now: sent.addingTimeInterval(3601)) }
        guard case .stale(let old) = stale else { Issue.record("wrong error"); return }
        #expect(old.contains("s old") && old.contains("3600 s allowed by sns.max_message_age"))

        let future = #expect(throws: IngestError.self) { try policy.checkFreshness(timestamp: sent, now: sent.addingTimeInterval(-301)) }
        guard case .stale(let ahead) = future else { Issue.record("wrong error"); return }
        #expect(ahead.contains("in the future"))

        var strict = policy
        strict.maxMessageAge = 60
        #expect(throws: IngestError.self) { try strict.checkFreshness(timestamp: sent, now: sent.addingTimeInterval(61)) }
    }
}
