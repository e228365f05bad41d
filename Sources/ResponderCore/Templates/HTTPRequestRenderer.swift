/// Builds the request of an `http` action from the alert, encoding each value for where it lands (see
/// ``URLTemplate``, ``HeaderTemplate``, ``JSONTemplate``), and says at validation time what a playbook may not write.
public enum HTTPRequestRenderer {
    /// Methods an `http` action may use.
    public static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    /// Longest timeout of a call (the loader enforces the same bound).
    public static let maxTimeout = Duration.seconds(3_600)

    /// The request `call` makes with `values`; throws when it must not be sent.
    public static func render(_ call: Action.HTTPCall, values: TemplateValues) throws(TemplateRefusal) -> PreparedHTTPRequest {
        let method = call.method.uppercased()
        guard methods.contains(method) else {
            throw .refused("http.method \(call.method.prefix(20)) is not one of \(methods.joined(separator: ", "))")
        }
        guard call.timeout > .zero, call.timeout <= maxTimeout else {
            throw .refused("http.timeout must be more than 0s and at most 1h")
        }
        let url = try URLTemplate.render(call.url, values: values)
        var headers: [HTTPHeaderField] = []
        for (name, value) in call.headers.sorted(by: { $0.key.lowercased() < $1.key.lowercased() }) {
            headers.append(HTTPHeaderField(name: name, value: try HeaderTemplate.render(name: name, value: value, values: values)))
        }
        var body: String?
        switch (call.body, call.json) {
        case (.some, .some):
            throw .refused("http has both body and json")
        case (.some(let text), nil):
            if TemplatePiece.hasReference(text) { throw .refused(bodyReferenceMessage) }
            body = text
        case (nil, .some(let json)):
            body = try json.render(values: values)
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(HTTPHeaderField(name: "Content-Type", value: "application/json"))
            }
        case (nil, nil):
            break
        }
        return PreparedHTTPRequest(method: method, url: url, headers: headers, body: body, timeout: call.timeout,
                                   expectStatus: call.expectStatus)
    }

    /// Why `body:` may not hold references.
    public static let bodyReferenceMessage = "http.body cannot use ${...}: pasted into text, an alert value could change "
        + "the body's structure; use json: (values become JSON strings)"
}
