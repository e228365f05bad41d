import Foundation

/// JSON coders whose dates are RFC 3339 text with milliseconds (``RFC3339/format(_:)``): the form of every date Responder
/// stores (run bodies) and serves (reports), read back only in that form.
public enum RFC3339JSON {
    /// An encoder writing dates as ``RFC3339/format(_:)`` text, with `formatting`.
    public static func encoder(_ formatting: JSONEncoder.OutputFormatting = [.sortedKeys]) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }

    /// A decoder reading dates as RFC 3339 text; any other date is a decoding error naming the text.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 date: \(text.prefix(80))")
            }
            return date
        }
        return decoder
    }
}
