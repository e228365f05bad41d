import Foundation

extension FakeSlack {
    /// Answers one request the way Slack would (the server calls this; tests may too).
    public func handle(_ request: FakeHTTPRequest) -> FakeHTTPReply {
        if request.path.hasPrefix("/webhook/") { return webhook(request) }
        guard request.path.hasPrefix("/api/") else {
            return FakeHTTPReply(status: 404, contentType: "text/plain", body: "Not Found")
        }
        let method = String(request.path.dropFirst("/api/".count))
        return state.withLockedValue { state in
            var call = FakeSlack.Call(method: method, json: FakeJSON.parse(request.body), status: 200)
            call.traceparent = request.headers["traceparent"]
            call.channel = call.json?["channel"]?.string
            call.threadTS = call.json?["thread_ts"]?.string
            call.text = call.json?["text"]?.string
            let reply = api(method, request, call: &call, state: &state)
            call.status = reply.status
            state.calls.append(call)
            return reply
        }
    }

    private func api(_ method: String, _ request: FakeHTTPRequest, call: inout Call, state: inout State) -> FakeHTTPReply {
        func refuse(_ code: String, status: Int = 200, extra: String = "") -> FakeHTTPReply {
            call.error = code
            return FakeHTTPReply(status: status, body: "{\"ok\":false,\"error\":\(FakeJSON.quote(code))\(extra)}")
        }
        guard ["chat.postMessage", "chat.update", "conversations.history"].contains(method) else {
            return refuse("unknown_method", status: 404)
        }
        if request.method != "POST" { return refuse("invalid_post_type") }
        let late = state.lateAnswers.isEmpty ? nil : state.lateAnswers.removeFirst()
        var reply = apiReply(method, request, call: &call, state: &state)
        reply.delay = late
        return reply
    }

    private func apiReply(_ method: String, _ request: FakeHTTPRequest, call: inout Call, state: inout State) -> FakeHTTPReply {
        func refuse(_ code: String, status: Int = 200, extra: String = "") -> FakeHTTPReply {
            call.error = code
            return FakeHTTPReply(status: status, body: "{\"ok\":false,\"error\":\(FakeJSON.quote(code))\(extra)}")
        }
        if !state.failures.isEmpty {
            switch state.failures.removeFirst() {
            case .rateLimited(let header):
                call.error = "ratelimited"
                return FakeHTTPReply(status: 429, retryAfter: header,
                                     body: "{\"ok\":false,\"error\":\"ratelimited\"}")
            case .serverError(let status):
                call.error = "http_\(status)"
                return FakeHTTPReply(status: status, contentType: "text/html", body: "<html>Slack is having trouble</html>")
            case .slackError(let code, let needed):
                return refuse(code, extra: needed.map { ",\"needed\":\(FakeJSON.quote($0)),\"provided\":\"chat:write\"" } ?? "")
            }
        }
        guard let authorization = request.headers["authorization"],
              authorization.trimmingCharacters(in: .whitespaces).lowercased() != "bearer" else { return refuse("not_authed") }
        guard authorization == "Bearer \(token)" else { return refuse("invalid_auth") }
        let contentType = request.headers["content-type"]?.lowercased() ?? ""
        guard contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces) == "application/json" else {
            return refuse("invalid_form_data")
        }
        // Slack accepts JSON without a charset but warns about it.
        let warning = contentType.contains("charset=utf-8") ? "" : ",\"warning\":\"missing_charset\""
        guard let json = call.json else { return refuse("invalid_json") }
        guard json.object != nil else { return refuse("json_not_object") }
        guard let channel = json["channel"]?.string, !channel.isEmpty, channels.contains(channel) else {
            return refuse("channel_not_found")
        }
        if state.notInChannel.contains(channel) { return refuse("not_in_channel") }
        if method == "conversations.history" { return history(json, channel: channel, call: &call, state: state) }
        if state.archived.contains(channel) { return refuse("is_archived") }
        let text = json["text"]?.string ?? ""
        var blocks = json["blocks"]
        if let encoded = blocks?.string { blocks = FakeJSON.parse(Array(encoded.utf8)) ?? .string(encoded) }
        if text.isEmpty && (blocks?.array ?? []).isEmpty { return refuse("no_text") }
        if text.unicodeScalars.count > 40000 { return refuse("msg_too_long") }
        if let blocks {
            let problems = FakeSlackBlockRules.problems(blocks)
            if !problems.isEmpty {
                let list = "[" + problems.map(FakeJSON.quote).joined(separator: ",") + "]"
                let messages = "[" + problems.map { FakeJSON.quote("[ERROR] \($0)") }.joined(separator: ",") + "]"
                return refuse("invalid_blocks", extra: ",\"errors\":\(list),\"response_metadata\":{\"messages\":\(messages)}")
            }
        }
        if method == "chat.update" {
            guard let ts = json["ts"]?.string, var message = state.messages[ts], message.channel == channel else {
                return refuse("message_not_found")
            }
            message.text = text
            message.blocks = blocks
            message.updates += 1
            state.messages[ts] = message
            call.ts = ts
            return FakeHTTPReply(status: 200, body: "{\"ok\":true,\"channel\":\(FakeJSON.quote(channel)),"
                + "\"ts\":\(FakeJSON.quote(ts)),\"text\":\(FakeJSON.quote(text))\(warning)}")
        }
        let threadTS = json["thread_ts"]?.string
        // Stricter than Slack: a reply must name a message this fake posted in that channel.
        if let threadTS, state.messages[threadTS]?.channel != channel { return refuse("thread_not_found") }
        let ts = post(channel: channel, threadTS: threadTS, text: text, blocks: blocks, state: &state)
        state.messages[ts]?.metadata = json["metadata"]
        call.ts = ts
        return FakeHTTPReply(status: 200, body: "{\"ok\":true,\"channel\":\(FakeJSON.quote(channel)),"
            + "\"ts\":\(FakeJSON.quote(ts))\(warning)}")
    }

    private func webhook(_ request: FakeHTTPRequest) -> FakeHTTPReply {
        state.withLockedValue { state in
            var call = FakeSlack.Call(method: "webhook", json: FakeJSON.parse(request.body), status: 200)
            call.traceparent = request.headers["traceparent"]
            call.text = call.json?["text"]?.string
            call.channel = webhookChannel
            let reply = webhookReply(request, call: &call, state: &state)
            call.status = reply.status
            if reply.status != 200 { call.error = reply.body }
            state.calls.append(call)
            return reply
        }
    }

    private func webhookReply(_ request: FakeHTTPRequest, call: inout Call, state: inout State) -> FakeHTTPReply {
        func answer(_ status: Int, _ text: String) -> FakeHTTPReply {
            FakeHTTPReply(status: status, contentType: "text/html", body: text)
        }
        if !state.failures.isEmpty {
            switch state.failures.removeFirst() {
            case .rateLimited(let header):
                return FakeHTTPReply(status: 429, retryAfter: header,
                                     contentType: "text/html", body: "rate_limited")
            case .serverError(let status): return answer(status, "rollup_error")
            case .slackError(let code, _): return answer(400, code)
            }
        }
        guard request.method == "POST", request.path == "/webhook/\(webhookSecret)" else { return answer(404, "no_service") }
        if state.webhookArchived { return answer(410, "channel_is_archived") }
        let contentType = request.headers["content-type"]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json"), let json = call.json, json.object != nil else {
            return answer(400, "invalid_payload")
        }
        let text = json["text"]?.string ?? ""
        let blocks = json["blocks"]
        if text.isEmpty && (blocks?.array ?? []).isEmpty { return answer(400, "missing_text_or_fallback_or_attachments") }
        if let blocks, !FakeSlackBlockRules.problems(blocks).isEmpty { return answer(400, "invalid_blocks") }
        call.ts = post(channel: webhookChannel, threadTS: nil, text: text, blocks: blocks, state: &state)
        return answer(200, "ok")
    }

    private func post(channel: String, threadTS: String?, text: String, blocks: FakeJSON?, state: inout State) -> String {
        state.sequence += 1
        let micros = state.sequence * 100
        let ts = "\(epoch + micros / 1_000_000)." + String(format: "%06d", micros % 1_000_000)
        state.messages[ts] = Message(channel: channel, ts: ts, threadTS: threadTS, text: text, blocks: blocks, updates: 0)
        state.order.append(ts)
        return ts
    }
}
