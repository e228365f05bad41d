import Foundation
import ResponderCore
import Testing

@Suite("http requests rendered by context: an alert value never changes where a request goes or what it says")
struct HTTPRequestRendererTests {
    static func values(_ labels: [String: String]) -> TemplateValues {
        TemplateValues(AlertTemplate(alert: NormalizedAlert(
            source: .alertmanager, fingerprint: "fp1", status: .firing, labels: labels, annotations: ["note": "a\"b"],
            startsAt: nil, endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil, idempotencyKey: "k"
        ), playbook: "p"))
    }

    /// The call and the hostile labels of issue 13: a path traversal with an authority, and a query that adds a
    /// parameter and closes a JSON string.
    static let hook = Action.HTTPCall(
        method: "POST", url: "https://hooks.example.com/hit/${labels.instance}?q=${labels.q}",
        json: .object([JSONMember(key: "i", value: .string("${labels.instance}"))])
    )
    static let hostile = ["instance": "@evil.example.com/../../x#", "q": #"a&b=c"}"#]

    @Test("path and query values are percent-encoded as one component; the body is built as JSON")
    func issueExample() throws {
        let request = try HTTPRequestRenderer.render(Self.hook, values: Self.values(Self.hostile))
        #expect(request.url == "https://hooks.example.com/hit/%40evil.example.com%2F..%2F..%2Fx%23?q=a%26b%3Dc%22%7D")
        let url = try #require(URL(string: request.url))
        #expect(url.host == "hooks.example.com")
        #expect(url.path == "/hit/@evil.example.com/../../x#", "one segment, decoded")
        let items = try #require(URLComponents(string: request.url)?.queryItems)
        #expect(items == [URLQueryItem(name: "q", value: #"a&b=c"}"#)])
        let body = try #require(request.body)
        #expect(body == #"{"i":"@evil.example.com/../../x#"}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
        #expect(object == ["i": "@evil.example.com/../../x#"])
        #expect(request.headers == [HTTPHeaderField(name: "Content-Type", value: "application/json")])
        #expect(request.display.hasPrefix("POST https://hooks.example.com/hit/%40evil"))
    }

    @Test("JSON strings keep quotes, backslashes, control characters and would-be keys as text", arguments: [
        #"x","admin":true,"y":""#, "a\\\"b", "line\nbreak\u{0}nul", "\u{2028}", #"}]}"#,
    ])
    func jsonStrings(_ value: String) throws {
        let call = Action.HTTPCall(method: "POST", url: "https://h/x", json: .object([
            JSONMember(key: "v", value: .string("${labels.v}")), JSONMember(key: "n", value: .number("2")),
            JSONMember(key: "list", value: .array([.bool(true), .null, .string("pre-${labels.v}-post")])),
        ]))
        let body = try #require(try HTTPRequestRenderer.render(call, values: Self.values(["v": value])).body)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["v", "n", "list"], "no key added: \(body)")
        #expect(object["v"] as? String == value)
        #expect(object["n"] as? Int == 2)
        let list = try #require(object["list"] as? [Any])
        #expect(list.count == 3)
        #expect(list[2] as? String == "pre-\(value)-post")
    }

    @Test("a value can never reach the scheme, host or port", arguments: [
        "https://${labels.host}/x", "https://api.example.com${labels.suffix}/x", "https://api.example.com:${labels.port}/x",
        "https://user:${labels.pass}@api.example.com/x",
    ])
    func referencesInTheOrigin(_ url: String) {
        #expect(URLTemplate.problems(url).contains { $0.contains("host or port") }, "validate refuses \(url)")
        #expect(throws: TemplateRefusal.self) {
            try URLTemplate.render(url, values: Self.values(["host": "evil.example.com", "suffix": ".evil.com", "port": "1", "pass": "x"]))
        }
    }

    @Test("a path value may not be empty or a dot segment; query values may be empty")
    func pathSegments() throws {
        let url = "https://h.example.com/api/${labels.a}/run?x=${labels.b}"
        for bad in ["", ".", ".."] {
            #expect {
                try URLTemplate.render(url, values: Self.values(["a": bad, "b": "1"]))
            } throws: { error in
                guard case TemplateRefusal.refused(let message) = error else { return false }
                return message.contains("labels.a") || message.contains("path segment")
            }
        }
        #expect(try URLTemplate.render(url, values: Self.values(["a": "...", "b": ""])) == "https://h.example.com/api/.../run?x=")
        #expect(try URLTemplate.render("https://h/v.${labels.a}", values: Self.values(["a": "."])) == "https://h/v..")
        #expect(try URLTemplate.render("https://h/${labels.a}", values: Self.values(["a": "é ü/"])) == "https://h/%C3%A9%20%C3%BC%2F")
    }

    @Test("validate: what a URL template may not be", arguments: [
        ("ftp://h/x", "must start with http:// or https://"), ("https://h/a b", "a space"), ("https://h/{x}", "\"{\""),
        ("https:///x", "not a URL with a host"),
    ])
    func urlProblems(_ url: String, _ fragment: String) {
        #expect(URLTemplate.problems(url).contains { $0.contains(fragment) }, "\(URLTemplate.problems(url))")
    }

    @Test("header values with CR, LF, NUL or another control character are refused, naming the alert field", arguments: [
        "x\r\nX-Admin: 1", "x\nSet-Cookie: a", "x\u{0}y", "x\u{7F}", "x\u{1B}[31m",
    ])
    func headerInjection(_ value: String) {
        let call = Action.HTTPCall(method: "GET", url: "https://h/x", headers: ["X-Alert": "v=${labels.v}"])
        #expect {
            try HTTPRequestRenderer.render(call, values: Self.values(["v": value]))
        } throws: { error in
            guard case TemplateRefusal.refused(let message) = error else { return false }
            return message.contains("http.headers.X-Alert") && message.contains("labels.v")
        }
    }

    @Test("header values keep tabs and any other text; credential headers are hidden in the display")
    func headerValues() throws {
        let call = Action.HTTPCall(method: "GET", url: "https://h/x",
                                   headers: ["X-Alert": "v=${labels.v}", "Authorization": "Bearer t0ken", "X-Api-Key": "k"])
        let request = try HTTPRequestRenderer.render(call, values: Self.values(["v": "a\tb; c=\"d\" é"]))
        #expect(request.headers == [
            HTTPHeaderField(name: "Authorization", value: "Bearer t0ken"), HTTPHeaderField(name: "X-Alert", value: "v=a\tb; c=\"d\" é"),
            HTTPHeaderField(name: "X-Api-Key", value: "k"),
        ])
        #expect(request.display == "GET https://h/x headers Authorization: <redacted>, X-Alert: v=a\tb; c=\"d\" é, X-Api-Key: <redacted>")
    }

    @Test("validate: header names are tokens and the client's own headers are not a playbook's to set", arguments: [
        ("X Alert", "is not a header name"), ("Host", "set by the HTTP client"), ("content-length", "set by the HTTP client"),
        ("Transfer-Encoding", "set by the HTTP client"), ("X-${labels.a}", "is not a header name"),
    ])
    func headerNames(_ name: String, _ fragment: String) {
        #expect(HeaderTemplate.problems(name: name, value: "v").contains { $0.contains(fragment) })
    }

    @Test("a literal body may not hold references; a stored one that does is refused, not sent")
    func templatedBody() {
        let call = Action.HTTPCall(method: "POST", url: "https://h/x", body: #"{"i":"${labels.instance}"}"#)
        #expect {
            try HTTPRequestRenderer.render(call, values: Self.values(["instance": "x"]))
        } throws: { error in
            guard case TemplateRefusal.refused(let message) = error else { return false }
            return message.contains("use json:")
        }
        let literal = Action.HTTPCall(method: "POST", url: "https://h/x", body: #"{"queue_enabled": true}"#)
        #expect((try? HTTPRequestRenderer.render(literal, values: Self.values([:])))?.body == #"{"queue_enabled": true}"#)
    }

    @Test("a request that reads no alert value renders without the alert; one that does asks for it")
    func withoutAlert() throws {
        let plain = Action.HTTPCall(method: "POST", url: "https://h/warm")
        #expect(try HTTPRequestRenderer.render(plain, values: TemplateValues(nil)).url == "https://h/warm")
        #expect(throws: TemplateRefusal.alertUnavailable) { try HTTPRequestRenderer.render(Self.hook, values: TemplateValues(nil)) }
    }

    @Test("stored calls outside the loader's rules are refused: method, timeout, URL length")
    func storedCalls() {
        var call = Action.HTTPCall(method: "TRACE", url: "https://h/x")
        #expect(throws: TemplateRefusal.self) { try HTTPRequestRenderer.render(call, values: Self.values([:])) }
        call.method = "GET"
        call.timeout = .seconds(Int64.max)
        #expect(throws: TemplateRefusal.self) { try HTTPRequestRenderer.render(call, values: Self.values([:])) }
        call.timeout = .seconds(5)
        call.url = "https://h/${labels.v}"
        #expect(throws: TemplateRefusal.self) {
            try HTTPRequestRenderer.render(call, values: Self.values(["v": String(repeating: "é", count: 3_000)]))
        }
    }

    @Test("JSON numbers as JSON writes them", arguments: [
        ("0", true), ("-1.5e3", true), ("12", true), ("01", false), ("+1", false), ("1.", false), (".5", false), ("NaN", false),
        ("1e", false), ("", false),
    ])
    func numbers(_ text: String, _ valid: Bool) {
        #expect(JSONTemplate.isNumber(text) == valid)
    }
}
