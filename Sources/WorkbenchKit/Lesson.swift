/// A line of a scenario inside a lesson, with its line number in the lesson file.
public struct ScriptLine: Equatable, Sendable {
    public var text: String
    public var line: Int
}

/// An exercise: a task with a setup, a goal (expect lines), graded hints and a reference solution.
public struct Exercise: Sendable {
    public var id: String
    public var lessonID: String
    public var topic: String
    public var setup: [ScriptLine]
    public var goal: [ScriptLine]
    public var hints: [String]
}

/// One step of a lesson: a `##` section of its Markdown.
public struct LessonStep: Sendable {
    public var title: String
    /// The section's Markdown blocks (rendered for the learner; hints and goals hidden).
    public var blocks: [MarkdownNode]
    /// Each ```` ```wb ```` block's lines, runnable with `try`.
    public var commandBlocks: [[ScriptLine]]
    public var exercise: Exercise?
}

public struct Lesson: Sendable {
    public var id: String
    public var title: String
    public var topic: String
    public var requires: [String]
    public var path: String
    /// `blockchain/02-proof-of-work`: topic folder and file name, shown in the prompt.
    public var slug: String
    public var steps: [LessonStep]

    public var exercises: [Exercise] { steps.compactMap(\.exercise) }
}

/// Where the learner is in a lesson.
public struct LessonCursor: Sendable {
    public var lessonID: String
    public var slug: String
    public var step: Int
    public var hintsShown: [String: Int] = [:]
}

/// A problem in a lesson file, named with its line.
public struct LessonProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path):\(line): \(message)" }
}

/// Every lesson found, plus the problems of files that could not be read as lessons.
public struct LessonCatalog: Sendable {
    public var lessons: [Lesson] = []
    public var problems: [LessonProblem] = []

    public init(files: [(path: String, contents: String)], modules: [TopicModule]) {
        let topics = Set(modules.flatMap(\.lessonTopics))
        for file in files {
            do {
                let lesson = try LessonParser.parse(file.contents, path: file.path)
                if !topics.contains(lesson.topic) {
                    problems.append(LessonProblem(path: file.path, line: 1, message: "unknown topic `\(lesson.topic)` (topics: \(topics.sorted().joined(separator: ", ")))"))
                } else if lessons.contains(where: { $0.id == lesson.id }) {
                    problems.append(LessonProblem(path: file.path, line: 1, message: "lesson id `\(lesson.id)` is used twice"))
                } else {
                    lessons.append(lesson)
                }
            } catch {
                problems.append(error)
            }
        }
        var seen: [String: String] = [:]
        for lesson in lessons {
            for exercise in lesson.exercises {
                if let other = seen[exercise.id] {
                    problems.append(LessonProblem(path: lesson.path, line: 1, message: "exercise id `\(exercise.id)` is also used in \(other)"))
                }
                seen[exercise.id] = lesson.path
            }
        }
    }

    /// Finds a lesson by id (`blockchain.proof-of-work`), slug (`blockchain/02-proof-of-work`) or file name.
    public func lesson(_ key: String) -> Lesson? {
        lessons.first { $0.id == key || $0.slug == key || $0.slug.split(separator: "/").last.map(String.init) == key }
    }

    public func exercise(_ id: String) -> (Lesson, Exercise)? {
        for lesson in lessons {
            if let exercise = lesson.exercises.first(where: { $0.id == id }) { return (lesson, exercise) }
        }
        return nil
    }

    public var exercises: [(Lesson, Exercise)] { lessons.flatMap { lesson in lesson.exercises.map { (lesson, $0) } } }
}
