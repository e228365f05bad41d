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

    @Test("surrogate escapes must pair: a high one followed by a low one", arguments: [
        #"{"Type":"\ud800\ud800"}"#, #"{"a":"\ud800"}"#, #"{"a":"\ud800x"}"#, #"{"a":"\udc00"}"#,
        #"{"a":"\ud83d\u0041"}"#, #"{"\udbff\udbff":1}"#, #"["\ud800\"]"#,
    ])
    func unpairedSurrogates(_ text: String) {
        #expect {
            try json.validate(Array(text.utf8))
        } throws: { error in
            guard case IngestError.malformedJSON(let message) = error else { return false }
            return message.contains("unpaired surrogate") && message.contains("at byte")
        }
    }

    @Test("a real surrogate pair is one character, equal to the literal as a key")
    func pairedSurrogates() throws {
        try json.validate(Array(#"{"a":"\ud83d\ude00","b":"\udbff\udfff"}"#.utf8))
        #expect(throws: IngestError.self) { try json.validate(Array(#"{"😀":1,"\ud83d\ude00":2}"#.utf8)) }
    }

    @Test("\\u takes exactly four hex digits, no sign", arguments: [#"["\u+041"]"#, #"["\u-041"]"#, #"["\u00g1"]"#, #"["\u00"]"#])
    func badHexEscapes(_ text: String) {
        #expect(throws: IngestError.self) { try json.validate(Array(text.utf8)) }
    }

    @Test("invalid UTF-8 inside strings is refused with its offset", arguments: [
        [0x22, 0xC0, 0xAF, 0x22] as [UInt8],      // overlong "/"
        [0x22, 0xED, 0xA0, 0x80, 0x22],           // an encoded surrogate
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],     // above U+10FFFF
        [0x22, 0xE2, 0x82, 0x22],                 // truncated sequence
        [0x22, 0x80, 0x22],                       // lone continuation byte
        [0x22, 0xFF, 0x22],
    ])
    func invalidUTF8(_ bytes: [UInt8]) {
        #expect {
            try json.validate(bytes)
        } throws: { error in
            guard case IngestError.malformedJSON(let message) = error else { return false }
            return message == "invalid UTF-8 at byte 1"
        }
    }

    @Test("well-formed UTF-8 of every length passes")
    func validUTF8() throws {
        try json.validate(Array("[\"é€😀\u{10FFFF}\"]".utf8))
    }

    @Test("numbers beyond what a Double holds are refused at their offset", arguments: [
        #"{"a":1e400}"#, #"{"a":-1e309}"#, "[" + String(repeating: "9", count: 400) + "]",
    ])
    func hugeNumbers(_ text: String) {
        #expect {
            try json.validate(Array(text.utf8))
        } throws: { error in
            guard case IngestError.malformedJSON(let message) = error else { return false }
            return message.hasPrefix("number out of range at byte")
        }
    }

    @Test("numbers at the edges of Double pass", arguments: [#"[1.7976931348623157e308]"#, #"[5e-324]"#, #"[1e-400]"#, "[0]"])
    func edgeNumbers(_ text: String) throws {
        try json.validate(Array(text.utf8))
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
