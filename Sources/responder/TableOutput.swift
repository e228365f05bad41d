import Foundation
import ResponderCore

/// What the admin commands print: the server's JSON as it came (for scripts), or columns a person reads.
enum TableOutput {
    /// Prints `data`, a JSON answer of the server, unchanged.
    static func printJSON(_ data: Data) {
        Swift.print(String(decoding: data, as: UTF8.self))
    }

    /// One cell: `value` as text on one line, `-` when absent or null, a list joined by commas. The server echoes
    /// what alerts and people wrote (names, labels, actors), so nothing in a cell may steer the terminal.
    static func cell(_ value: Any?) -> String {
        let text: String
        switch value {
        case nil, is NSNull: text = "-"
        case let list as [Any]: text = list.isEmpty ? "-" : list.map { "\($0)" }.joined(separator: ",")
        case let value?: text = "\(value)"
        }
        return TerminalText.printable(text, keepNewlines: false)
    }

    /// Prints `lines` (a header, if any, then the rows) as columns two spaces apart, each as wide as its widest
    /// cell, trailing spaces trimmed, each line after `indent`.
    static func print(_ lines: [[String]], indent: String = "") {
        let columns = lines.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in lines.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        for line in lines {
            Swift.print(indent + line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}
