/// Block Kit's limits as Slack enforces them on `chat.postMessage`, `chat.update` and incoming webhooks
/// (https://docs.slack.dev/reference/block-kit/blocks, .../block-elements/button-element,
/// .../composition-objects/text-object): each problem is reported like Slack's `invalid_blocks` errors,
/// `must be less than 3001 characters [json-pointer:/blocks/1/text/text]`.
public enum FakeSlackBlockRules {
    /// Every problem of `blocks` (empty when Slack would accept them).
    public static func problems(_ blocks: FakeJSON) -> [String] {
        guard let list = blocks.array else { return ["must be an array [json-pointer:/blocks]"] }
        var problems: [String] = []
        if list.count > 50 { problems.append("must contain no more than 50 items [json-pointer:/blocks]") }
        var blockIDs = Set<String>()
        var actionIDs = Set<String>()
        for (index, block) in list.enumerated() {
            let at = "/blocks/\(index)"
            if let id = block["block_id"] {
                problems += identifier(id, at + "/block_id")
                if let id = id.string, !blockIDs.insert(id).inserted { problems.append("duplicate block_id [json-pointer:\(at)/block_id]") }
            }
            switch block["type"]?.string {
            case "header":
                problems += text(block["text"], at + "/text", plainOnly: true, max: 150)
            case "section":
                if block["text"] == nil && block["fields"] == nil {
                    problems.append("must provide text or fields [json-pointer:\(at)]")
                }
                if let text = block["text"] { problems += self.text(text, at + "/text", plainOnly: false, max: 3000) }
                if let fields = block["fields"] {
                    let items = fields.array ?? []
                    if fields.array == nil || items.count > 10 { problems.append("must contain no more than 10 items [json-pointer:\(at)/fields]") }
                    for (i, field) in items.enumerated() { problems += text(field, "\(at)/fields/\(i)", plainOnly: false, max: 2000) }
                }
            case "context":
                let items = block["elements"]?.array ?? []
                if items.isEmpty || items.count > 10 { problems.append("must contain 1 to 10 items [json-pointer:\(at)/elements]") }
                for (i, element) in items.enumerated() { problems += text(element, "\(at)/elements/\(i)", plainOnly: false, max: 3000) }
            case "actions":
                let items = block["elements"]?.array ?? []
                if items.isEmpty || items.count > 25 { problems.append("must contain 1 to 25 items [json-pointer:\(at)/elements]") }
                for (i, element) in items.enumerated() {
                    problems += button(element, "\(at)/elements/\(i)", actionIDs: &actionIDs)
                }
            case "divider":
                break
            default:
                problems.append("unsupported type [json-pointer:\(at)/type]")
            }
        }
        return problems
    }

    private static func button(_ element: FakeJSON, _ at: String, actionIDs: inout Set<String>) -> [String] {
        guard element["type"]?.string == "button" else { return ["unsupported element type [json-pointer:\(at)/type]"] }
        var problems = text(element["text"], at + "/text", plainOnly: true, max: 75)
        if let id = element["action_id"] {
            problems += identifier(id, at + "/action_id")
            if let id = id.string, !actionIDs.insert(id).inserted {
                problems.append("duplicate action_id [json-pointer:\(at)/action_id]")
            }
        }
        if let value = element["value"] { problems += length(value, at + "/value", max: 2000) }
        if let url = element["url"] { problems += length(url, at + "/url", max: 3000) }
        if let style = element["style"], !["primary", "danger"].contains(style.string ?? "") {
            problems.append("must be one of primary, danger [json-pointer:\(at)/style]")
        }
        if let confirm = element["confirm"] {
            problems += text(confirm["title"], at + "/confirm/title", plainOnly: true, max: 100)
            problems += text(confirm["text"], at + "/confirm/text", plainOnly: false, max: 300)
            problems += text(confirm["confirm"], at + "/confirm/confirm", plainOnly: true, max: 30)
            problems += text(confirm["deny"], at + "/confirm/deny", plainOnly: true, max: 30)
        }
        return problems
    }

    private static func text(_ object: FakeJSON?, _ at: String, plainOnly: Bool, max: Int) -> [String] {
        guard let object, let type = object["type"]?.string else { return ["must provide a text object [json-pointer:\(at)]"] }
        guard type == "plain_text" || (!plainOnly && type == "mrkdwn") else {
            return ["must be \(plainOnly ? "plain_text" : "plain_text or mrkdwn") [json-pointer:\(at)/type]"]
        }
        guard let text = object["text"]?.string, !text.isEmpty else {
            return ["must be at least 1 character [json-pointer:\(at)/text]"]
        }
        return length(.string(text), at + "/text", max: max)
    }

    private static func identifier(_ value: FakeJSON, _ at: String) -> [String] {
        guard let text = value.string, !text.isEmpty else { return ["must be a non-empty string [json-pointer:\(at)]"] }
        return length(value, at, max: 255)
    }

    private static func length(_ value: FakeJSON, _ at: String, max: Int) -> [String] {
        guard let text = value.string else { return ["must be a string [json-pointer:\(at)]"] }
        // Slack counts characters; Unicode scalars are the closest measure.
        return text.unicodeScalars.count > max ? ["must be less than \(max + 1) characters [json-pointer:\(at)]"] : []
    }
}
