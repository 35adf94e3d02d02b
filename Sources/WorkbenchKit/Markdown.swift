import CMark

/// A Markdown tree parsed by cmark-gfm (the CommonMark reference parser, with GitHub's table
/// extension) and copied into Swift values, so no C memory outlives the parse.
public struct MarkdownNode: Sendable {
    /// cmark's type name: "document", "heading", "paragraph", "code_block", "table", "table_cell", …
    public var type: String
    public var literal: String
    public var headingLevel: Int
    public var fenceInfo: String
    public var url: String
    public var ordered: Bool
    public var listStart: Int
    public var startLine: Int
    public var endLine: Int
    public var children: [MarkdownNode]

    /// Parses CommonMark + GFM tables.
    public static func parse(_ text: String) -> MarkdownNode {
        cmark_gfm_core_extensions_ensure_registered()
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return MarkdownNode.empty }
        defer { cmark_parser_free(parser) }
        if let table = cmark_find_syntax_extension("table") { _ = cmark_parser_attach_syntax_extension(parser, table) }
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
        }
        guard let root = cmark_parser_finish(parser) else { return MarkdownNode.empty }
        defer { cmark_node_free(root) }
        return copy(root)
    }

    static let empty = MarkdownNode(type: "document", literal: "", headingLevel: 0, fenceInfo: "", url: "", ordered: false,
                                    listStart: 0, startLine: 0, endLine: 0, children: [])

    private static func copy(_ node: OpaquePointer) -> MarkdownNode {
        func string(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
        let type = string(cmark_node_get_type_string(node))
        var children: [MarkdownNode] = []
        var child = cmark_node_first_child(node)
        while let c = child {
            children.append(copy(c))
            child = cmark_node_next(c)
        }
        return MarkdownNode(
            type: type,
            literal: string(cmark_node_get_literal(node)),
            headingLevel: type == "heading" ? Int(cmark_node_get_heading_level(node)) : 0,
            fenceInfo: type == "code_block" ? string(cmark_node_get_fence_info(node)) : "",
            url: type == "link" || type == "image" ? string(cmark_node_get_url(node)) : "",
            ordered: type == "list" && cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
            listStart: type == "list" ? Int(cmark_node_get_list_start(node)) : 0,
            startLine: Int(cmark_node_get_start_line(node)),
            endLine: Int(cmark_node_get_end_line(node)),
            children: children)
    }

    /// The plain text of inline content (for headings and table cells).
    public var plainText: String {
        switch type {
        case "text", "code", "html_inline": return literal
        case "softbreak", "linebreak": return " "
        default: return children.map(\.plainText).joined()
        }
    }
}

/// Renders Markdown for a terminal: headings, emphasis, inline code, code blocks, lists,
/// quotes, links and tables, with colour only when the style allows it.
public enum MarkdownRenderer {
    public static func render(_ markdown: String, style: Style, width: Int = 80) -> String {
        render(blocks: MarkdownNode.parse(markdown).children, style: style, width: width)
    }

    public static func render(blocks: [MarkdownNode], style: Style, width: Int = 80) -> String {
        blocks.map { block($0, style: style, width: width) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    static func block(_ node: MarkdownNode, style: Style, width: Int) -> String {
        switch node.type {
        case "heading":
            let text = inline(node.children, style: style)
            if style.colors { return node.headingLevel == 1 ? style.bold(style.underline(text)) : style.bold(text) }
            // Without colour, rule headings off so they still stand out.
            let rule = String(repeating: node.headingLevel == 1 ? "═" : "─", count: Style.width(text))
            return node.headingLevel <= 2 ? text + "\n" + rule : text
        case "paragraph":
            return wrap(inline(node.children, style: style), width: width)
        case "code_block":
            let body = node.literal.hasSuffix("\n") ? String(node.literal.dropLast()) : node.literal
            return body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + style.cyan(String($0)) }.joined(separator: "\n")
        case "list":
            var number = node.listStart
            return node.children.map { item in
                let marker = node.ordered ? "\(number). " : "• "
                number += 1
                let body = render(blocks: item.children, style: style, width: width - marker.count)
                let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
                return lines.enumerated().map { i, line in (i == 0 ? marker : String(repeating: " ", count: marker.count)) + line }
                    .joined(separator: "\n")
            }.joined(separator: "\n")
        case "block_quote":
            return render(blocks: node.children, style: style, width: width - 2)
                .split(separator: "\n", omittingEmptySubsequences: false).map { "│ " + $0 }.joined(separator: "\n")
        case "thematic_break":
            return String(repeating: "─", count: min(width, 40))
        case "table":
            let rows = node.children.map { row in row.children.map { inline($0.children, style: style) } }
            guard let header = rows.first else { return "" }
            return Table(headers: header, rows: Array(rows.dropFirst())).render(style: style)
        case "html_block":
            return ""
        default:
            return inline(node.children, style: style)
        }
    }

    static func inline(_ nodes: [MarkdownNode], style: Style) -> String {
        nodes.map { node in
            switch node.type {
            case "text": return node.literal
            case "code": return style.colors ? style.cyan(node.literal) : "`" + node.literal + "`"
            case "emph": return style.italic(inline(node.children, style: style))
            case "strong": return style.bold(inline(node.children, style: style))
            case "softbreak": return " "
            case "linebreak": return "\n"
            case "link":
                let text = inline(node.children, style: style)
                return text == node.url ? style.underline(text) : "\(text) <\(style.underline(node.url))>"
            case "html_inline": return ""
            default: return inline(node.children, style: style)
            }
        }.joined()
    }

    /// Wraps a paragraph at word boundaries, counting visible columns only.
    static func wrap(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var lines: [String] = []
            var current = ""
            for word in line.split(separator: " ") {
                if !current.isEmpty, Style.width(current) + 1 + Style.width(String(word)) > width {
                    lines.append(current)
                    current = String(word)
                } else {
                    current += current.isEmpty ? String(word) : " " + word
                }
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
