import ResponderCore
import Testing

@Suite("StrictJSON")
struct StrictJSONTests {
    let json = StrictJSON()

    @Test("well-formed documents pass", arguments: [
        #"{}"#, #"[]"#, #"{"a":1,"b":[true,false,null],"c":{"a":"x"}}"#, #" {"n": -1.5e+3 } "#,
        #"{"a":"\u00e9\n\"q\""}"#, #"[{"k":1},{"k":2}]"#,
    ])
    func accepts(_ text: String) throws {
        try json.validate(Array(text.utf8))
    }

    @Test("duplicate keys are refused, however they are spelled", arguments: [
        #"{"status":"resolved","status":"firing"}"#,
        #"{"a":{"x":1,"x":2}}"#,
        #"{"status":1,"st\u0061tus":2}"#,
        #"{"é":1,"\u00e9":2}"#,
        #"[{"ok":1},{"k":1,"k":1}]"#,
    ])
    func refusesDuplicates(_ text: String) {
        #expect {
            try json.validate(Array(text.utf8))
        } throws: { error in
            guard case IngestError.malformedJSON(let message) = error else { return false }
            return message.contains("duplicate key")
        }
    }

    @Test("the same key in sibling objects is not a duplicate")
    func siblingObjects() throws {
        try json.validate(Array(#"{"a":{"k":1},"b":{"k":2}}"#.utf8))
    }

    @Test("malformed input is refused with a position", arguments: [
        "", "{", #"{"a":}"#, #"{"a":1,}"#, "[1,]", #"{"a":01}"#, "tru", #"{"a":"x"} trailing"#, "{'a':1}",
        "\"unterminated", "{\"a\":\"line\nbreak\"}",
    ])
    func refusesMalformed(_ text: String) {
        #expect {
            try json.validate(Array(text.utf8))
        } throws: { error in
            guard case IngestError.malformedJSON(let message) = error else { return false }
            return message.contains("at byte")
        }
    }

    @Test("nesting is bounded")
    func depth() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: IngestError.self) { try json.validate(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        try json.validate(Array(fine.utf8))
    }

    @Test("decoding errors name the field path")
    func fieldPath() {
        struct Inner: Decodable { var n: Int }
        struct Outer: Decodable { var items: [Inner] }
        #expect {
            _ = try json.decode(Outer.self, from: Array(#"{"items":[{"n":1},{"n":"two"}]}"#.utf8))
        } throws: { error in
            (error as? IngestError) == .invalidField("items[1].n: expected a number")
        }
        #expect {
            _ = try json.decode(Outer.self, from: Array(#"{"items":[{}]}"#.utf8))
        } throws: { error in
            (error as? IngestError) == .invalidField("items[0].n: required field is missing")
        }
    }
}
