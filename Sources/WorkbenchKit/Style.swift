/// Terminal colours, on only when the output is a terminal and NO_COLOR is unset
/// (https://no-color.org). With colour off every function returns its text unchanged, so
/// transcripts and golden files never contain escape codes.
public struct Style: Sendable {
    public var colors: Bool

    public init(colors: Bool) { self.colors = colors }

    public static let plain = Style(colors: false)

    private func wrap(_ code: String, _ text: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func bold(_ s: String) -> String { wrap("1", s) }
    public func dim(_ s: String) -> String { wrap("2", s) }
    public func italic(_ s: String) -> String { wrap("3", s) }
    public func underline(_ s: String) -> String { wrap("4", s) }
    public func red(_ s: String) -> String { wrap("31", s) }
    public func green(_ s: String) -> String { wrap("32", s) }
    public func yellow(_ s: String) -> String { wrap("33", s) }
    public func blue(_ s: String) -> String { wrap("34", s) }
    public func magenta(_ s: String) -> String { wrap("35", s) }
    public func cyan(_ s: String) -> String { wrap("36", s) }

    /// The number of columns a string takes, ignoring ANSI escape sequences.
    public static func width(_ s: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in s.unicodeScalars {
            if inEscape {
                if scalar == "m" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; continue }
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            width += 1
        }
        return width
    }

    public static func pad(_ s: String, to width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - Style.width(s)))
    }
}

/// A plain text table: a header row, a rule, and rows, with columns padded to fit.
public struct Table {
    public var headers: [String]
    public var rows: [[String]]

    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    public func render(style: Style) -> String {
        let columns = headers.count
        var widths = headers.map(Style.width)
        for row in rows {
            for (i, cell) in row.prefix(columns).enumerated() { widths[i] = max(widths[i], Style.width(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let cell = i < cells.count ? cells[i] : ""
                parts.append(i == columns - 1 ? cell : Style.pad(cell, to: widths[i]))
            }
            return parts.joined(separator: "  ")
        }
        var out = [style.bold(line(headers))]
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}
