import Foundation

/// Reads a lesson file: front matter (`id`, `title`, `topic`, `requires`), then Markdown whose
/// `##` sections are steps. In a section titled `Exercise: <id>`, ```` ```wb setup ````,
/// ```` ```wb goal ```` and ```` ```hint ```` blocks declare the exercise.
public enum LessonParser {
    public static func parse(_ text: String, path: String) throws(LessonProblem) -> Lesson {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        func problem(_ line: Int, _ message: String) -> LessonProblem { LessonProblem(path: path, line: line, message: message) }

        guard lines.first == "---" else { throw problem(1, "a lesson starts with front matter: a `---` line, then `id:`, `title:`, `topic:`") }
        guard let close = lines.dropFirst().firstIndex(of: "---") else { throw problem(1, "front matter is not closed by a `---` line") }
        var fields: [String: String] = [:]
        for index in 1..<close {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else { throw problem(index + 1, "expected `key: value` in front matter, got `\(line)`") }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard ["id", "title", "topic", "requires"].contains(key) else {
                throw problem(index + 1, "unknown front matter key `\(key)` (keys: id, title, topic, requires)")
            }
            fields[key] = value
        }
        for key in ["id", "title", "topic"] where (fields[key] ?? "").isEmpty {
            throw problem(1, "front matter needs `\(key):`")
        }
        var requires: [String] = []
        if let raw = fields["requires"], !raw.isEmpty {
            guard raw.hasPrefix("["), raw.hasSuffix("]") else { throw problem(1, "`requires:` takes a list like [blockchain.blocks]") }
            requires = raw.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let id = fields["id"] ?? "", topic = fields["topic"] ?? ""
        let components = path.split(separator: "/")
        let file = components.last.map { String($0.hasSuffix(".md") ? $0.dropLast(3) : $0) } ?? path
        let slug = "\(topic)/\(file)"

        // Markdown after the front matter; line numbers are shifted back to the file's.
        let offset = close + 1
        let body = lines[(close + 1)...].joined(separator: "\n")
        let document = MarkdownNode.parse(body)

        var steps: [LessonStep] = []
        var current = LessonStep(title: fields["title"] ?? "", blocks: [], commandBlocks: [], exercise: nil)
        var started = false
        func finish() throws(LessonProblem) {
            if let exercise = current.exercise, exercise.goal.isEmpty {
                throw problem(offset + 1, "exercise `\(exercise.id)` has no ```wb goal``` block")
            }
            if started || !current.blocks.isEmpty { steps.append(current) }
        }
        for node in document.children {
            let line = node.startLine + offset
            if node.type == "heading", node.headingLevel == 2 {
                try finish()
                started = true
                let title = node.plainText.trimmingCharacters(in: .whitespaces)
                current = LessonStep(title: title, blocks: [node], commandBlocks: [], exercise: nil)
                if title.lowercased().hasPrefix("exercise:") {
                    let exerciseID = title.dropFirst("exercise:".count).trimmingCharacters(in: .whitespaces)
                    guard !exerciseID.isEmpty, exerciseID.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
                        throw problem(line, "exercise ids are lowercase words joined by `-`, got `\(exerciseID)`")
                    }
                    current.exercise = Exercise(id: exerciseID, lessonID: id, topic: topic, setup: [], goal: [], hints: [])
                }
                continue
            }
            if node.type == "code_block" {
                let info = node.fenceInfo.split(separator: " ").map(String.init)
                let scriptLines = node.literal.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { i, l -> ScriptLine? in
                    let t = l.trimmingCharacters(in: .whitespaces)
                    return t.isEmpty || t.hasPrefix("#") ? nil : ScriptLine(text: t, line: line + 1 + i)
                }
                switch (info.first, info.dropFirst().first) {
                case ("wb", nil):
                    current.commandBlocks.append(scriptLines)
                    current.blocks.append(node)
                case ("wb", "setup"), ("wb", "goal"), ("hint", _):
                    guard current.exercise != nil else {
                        throw problem(line, "a ```\(node.fenceInfo)``` block belongs in an `## Exercise: <id>` section")
                    }
                    if info.first == "hint" {
                        current.exercise?.hints.append(node.literal.trimmingCharacters(in: .whitespacesAndNewlines))
                    } else if info[1] == "setup" {
                        current.exercise?.setup += scriptLines
                    } else {
                        for goal in scriptLines where !goal.text.hasPrefix("expect ") && !goal.text.hasPrefix("expect-error ") {
                            throw problem(goal.line, "goal lines are `expect` or `expect-error` lines, got `\(goal.text)`")
                        }
                        current.exercise?.goal += scriptLines
                        current.blocks.append(node)
                    }
                case ("wb", let other?):
                    throw problem(line, "unknown block ```wb \(other)``` (use wb, wb setup or wb goal)")
                default:
                    current.blocks.append(node)
                }
                continue
            }
            current.blocks.append(node)
        }
        try finish()
        guard !steps.isEmpty else { throw problem(offset + 1, "the lesson has no content") }
        return Lesson(id: id, title: fields["title"] ?? id, topic: topic, requires: requires, path: path, slug: slug, steps: steps)
    }
}
