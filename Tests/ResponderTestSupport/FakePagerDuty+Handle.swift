import Foundation

extension FakePagerDuty {
    /// Answers one request the way the Events API v2 would (the server calls this; tests may too).
    public func handle(_ request: FakeHTTPRequest) -> FakeHTTPReply {
        state.withLockedValue { state in
            var call = Call(path: request.path, json: FakeJSON.parse(request.body), status: 202, errors: [])
            let reply = answer(request, call: &call, state: &state)
            call.status = reply.status
            state.calls.append(call)
            return reply
        }
    }

    private func answer(_ request: FakeHTTPRequest, call: inout Call, state: inout State) -> FakeHTTPReply {
        guard request.method == "POST", request.path == "/v2/enqueue" || request.path == "/v2/change/enqueue" else {
            return FakeHTTPReply(status: 404, contentType: "text/plain", body: "Not Found")
        }
        if !state.failures.isEmpty {
            switch state.failures.removeFirst() {
            case .rateLimited(let header):
                return FakeHTTPReply(status: 429, retryAfter: header, contentType: "text/plain",
                                     body: "Too Many Requests")
            case .serverError(let status):
                return FakeHTTPReply(status: status, contentType: "text/plain", body: "Internal Server Error")
            }
        }
        let contentType = request.headers["content-type"]?.lowercased() ?? ""
        guard contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces) == "application/json" else {
            return invalid(["Content-Type must be application/json"], call: &call)
        }
        guard let json = call.json, json.object != nil else { return invalid(["Malformed JSON"], call: &call) }
        var errors = routingKeyErrors(json["routing_key"])
        if request.path == "/v2/change/enqueue" {
            errors += summaryErrors(json["payload"]?["summary"], "payload.summary")
            if json["payload"]?.object == nil { errors.append("'payload' is missing or not an object") }
            guard errors.isEmpty else { return invalid(errors, call: &call) }
            return FakeHTTPReply(status: 202, body: "{\"status\":\"success\",\"message\":\"Change event processed\"}")
        }
        let action = json["event_action"]?.string
        if !["trigger", "acknowledge", "resolve"].contains(action ?? "") {
            errors.append("'event_action' is missing or invalid (must be trigger, acknowledge or resolve)")
        }
        var dedupKey = json["dedup_key"]?.string
        if let key = dedupKey, key.count > 255 { errors.append("'dedup_key' is too long (at most 255 characters)") }
        if action == "acknowledge" || action == "resolve", dedupKey?.isEmpty ?? true {
            errors.append("'dedup_key' is missing or blank")
        }
        if action == "trigger" {
            let payload = json["payload"]
            if payload?.object == nil { errors.append("'payload' is missing or not an object") }
            errors += summaryErrors(payload?["summary"], "payload.summary")
            if payload?["source"]?.string?.isEmpty ?? true { errors.append("'payload.source' is missing or blank") }
            if !["critical", "error", "warning", "info"].contains(payload?["severity"]?.string ?? "") {
                errors.append("'payload.severity' is missing or invalid (must be critical, error, warning or info)")
            }
        }
        guard errors.isEmpty else { return invalid(errors, call: &call) }
        if dedupKey == nil || dedupKey?.isEmpty == true {
            state.generated += 1
            dedupKey = String(format: "%032x", state.generated)
        }
        let key = dedupKey ?? ""
        switch action {
        case "trigger": if state.alerts[key] != .acknowledged { state.alerts[key] = .triggered }
        // Acknowledge and resolve of an unknown or resolved alert are accepted and dropped, as PagerDuty does.
        case "acknowledge": if state.alerts[key] == .triggered { state.alerts[key] = .acknowledged }
        default: if let current = state.alerts[key], current != .resolved { state.alerts[key] = .resolved }
        }
        return FakeHTTPReply(status: 202, body: "{\"status\":\"success\",\"message\":\"Event processed\","
            + "\"dedup_key\":\(FakeJSON.quote(key))}")
    }

    private func routingKeyErrors(_ value: FakeJSON?) -> [String] {
        guard let key = value?.string, !key.isEmpty else { return ["'routing_key' is missing or blank"] }
        guard key.count == 32 else { return ["Length of 'routing_key' is incorrect (should be 32 characters)"] }
        // Stricter than PagerDuty, which accepts any well-formed key: a key of no integration is refused here.
        return key == routingKey ? [] : ["Invalid routing key"]
    }

    private func summaryErrors(_ value: FakeJSON?, _ name: String) -> [String] {
        guard let summary = value?.string, !summary.isEmpty else { return ["'\(name)' is missing or blank"] }
        return summary.count > 1024 ? ["'\(name)' is too long (at most 1024 characters)"] : []
    }

    private func invalid(_ errors: [String], call: inout Call) -> FakeHTTPReply {
        call.errors = errors
        let list = "[" + errors.map(FakeJSON.quote).joined(separator: ",") + "]"
        return FakeHTTPReply(status: 400, body: "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
            + "\"errors\":\(list)}")
    }
}
