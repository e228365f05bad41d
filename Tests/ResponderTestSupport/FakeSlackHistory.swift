import Foundation

extension FakeSlack {
    /// `conversations.history` as Slack answers it: the channel's top-level messages newest first, those at or after
    /// `oldest` (`inclusive`) or after it, `limit` per page (1 to 999, default 100) with `has_more` and
    /// `response_metadata.next_cursor`, and each message's `metadata` only with `include_all_metadata`. Needs the
    /// `channels:history` scope (``withoutHistoryScope()`` takes it away).
    func history(_ json: FakeJSON, channel: String, call: inout Call, state: State) -> FakeHTTPReply {
        func refuse(_ code: String, extra: String = "") -> FakeHTTPReply {
            call.error = code
            return FakeHTTPReply(status: 200, body: "{\"ok\":false,\"error\":\(FakeJSON.quote(code))\(extra)}")
        }
        guard state.historyScope else {
            return refuse("missing_scope", extra: ",\"needed\":\"channels:history\",\"provided\":\"chat:write\"")
        }
        func flag(_ key: String) -> Bool {
            switch json[key] {
            case .bool(let value): value
            case .string(let text): text == "true" || text == "1"
            case .number(let value): value != 0
            default: false
            }
        }
        func number(_ key: String) -> Double? {
            switch json[key] {
            case .number(let value): value
            case .string(let text): Double(text)
            default: nil
            }
        }
        let limit = number("limit").map { Int($0) } ?? 100
        guard (1...999).contains(limit) else { return refuse("invalid_limit") }
        let oldest = number("oldest") ?? 0
        let inclusive = flag("inclusive")
        let offset: Int
        switch json["cursor"] {
        case nil, .null: offset = 0
        case .string(let cursor):
            guard let decoded = Data(base64Encoded: cursor).flatMap({ String(data: $0, encoding: .utf8) }),
                  decoded.hasPrefix("offset:"), let value = Int(decoded.dropFirst("offset:".count)), value >= 0 else {
                return refuse("invalid_cursor")
            }
            offset = value
        default: return refuse("invalid_cursor")
        }
        let matching = state.order.reversed().compactMap { state.messages[$0] }.filter { message in
            guard message.channel == channel, message.threadTS == nil, let ts = Double(message.ts) else { return false }
            return inclusive ? ts >= oldest : ts > oldest
        }
        let page = matching.dropFirst(offset).prefix(limit)
        let withMetadata = flag("include_all_metadata")
        let items = page.map { message -> String in
            var fields = ["\"type\":\"message\"", "\"ts\":\(FakeJSON.quote(message.ts))", "\"text\":\(FakeJSON.quote(message.text))"]
            if withMetadata, let metadata = message.metadata { fields.append("\"metadata\":\(metadata)") }
            return "{" + fields.joined(separator: ",") + "}"
        }
        let hasMore = offset + page.count < matching.count
        let next = hasMore ? Data("offset:\(offset + page.count)".utf8).base64EncodedString() : ""
        call.channel = channel
        return FakeHTTPReply(status: 200, body: "{\"ok\":true,\"messages\":[\(items.joined(separator: ","))],"
            + "\"has_more\":\(hasMore),\"response_metadata\":{\"next_cursor\":\(FakeJSON.quote(next))}}")
    }
}
