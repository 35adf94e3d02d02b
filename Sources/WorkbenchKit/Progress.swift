/// What a learner has done: per lesson, the step they were on and the exercises they solved.
/// Stored by the host as a small versioned JSON file, written atomically.
public struct LearnerProgress: Codable, Equatable, Sendable {
    public static let currentVersion = 1

    public struct LessonProgress: Codable, Equatable, Sendable {
        public var step: Int
        public var solved: [String]
    }

    public var version: Int
    public var lessons: [String: LessonProgress]

    public init() {
        version = LearnerProgress.currentVersion
        lessons = [:]
    }

    public func solved(_ exercise: String, in lesson: String) -> Bool {
        lessons[lesson]?.solved.contains(exercise) ?? false
    }

    public mutating func markSolved(_ exercise: String, in lesson: String) {
        var entry = lessons[lesson] ?? LessonProgress(step: 0, solved: [])
        if !entry.solved.contains(exercise) { entry.solved.append(exercise) }
        entry.solved.sort()
        lessons[lesson] = entry
    }

    public mutating func setStep(_ step: Int, in lesson: String) {
        var entry = lessons[lesson] ?? LessonProgress(step: 0, solved: [])
        entry.step = step
        lessons[lesson] = entry
    }
}
