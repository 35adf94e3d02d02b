extension AWSWorld {
    /// RegisterTaskDefinition: creates `family:N` ACTIVE, N = highest revision ever used + 1
    /// (revision numbers are never reused, even after deletion; §8.1).
    @discardableResult
    public mutating func registerTaskDefinition(_ td: TaskDefinitionInput) throws(ECSError) -> TaskDefinition {
        try commit { (w: inout AWSWorld) throws(ECSError) -> TaskDefinition in try w.register(td) }
    }

    mutating func register(_ td: TaskDefinitionInput) throws(ECSError) -> TaskDefinition {
        let allowed = td.family.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard (1...255).contains(td.family.count), allowed else {
            throw .invalidParameter("family must be 1-255 letters, numbers, hyphens or underscores")
        }
        guard !td.containers.isEmpty else { throw .invalidParameter("a task definition needs at least one container") }
        var seen: [String] = []
        for c in td.containers {
            guard !c.name.isEmpty, !c.image.isEmpty else { throw .invalidParameter("every container needs a name and an image") }
            guard !seen.contains(c.name) else { throw .invalidParameter("duplicate container name '\(c.name)'") }
            if let p = c.port, !(1...65535).contains(p) { throw .invalidParameter("containerPort \(p) is out of range") }
            seen.append(c.name)
        }
        let revision: Int
        if let k = revisionCounters.firstIndex(where: { $0.family == td.family }) {
            revisionCounters[k].lastRevision += 1
            revision = revisionCounters[k].lastRevision
        } else {
            revision = 1
            revisionCounters.append(FamilyCounter(family: td.family, lastRevision: 1))
            revisionCounters.sort { $0.family < $1.family }
        }
        let def = TaskDefinition(family: td.family, revision: revision,
                                 arn: Self.arnPrefix() + "\(td.family):\(revision)",
                                 status: .active, containers: td.containers, registeredAtMs: clockMs)
        let at = taskDefinitions.firstIndex {
            $0.family > td.family || ($0.family == td.family && $0.revision > revision)
        } ?? taskDefinitions.endIndex
        taskDefinitions.insert(def, at: at)
        return def
    }

    /// DeregisterTaskDefinition: ACTIVE → INACTIVE. Existing tasks and services keep running
    /// and may scale; nothing new may use it. Deregistering a non-ACTIVE revision changes nothing.
    @discardableResult
    public mutating func deregisterTaskDefinition(_ ref: String) throws(ECSError) -> TaskDefinition {
        let i = try revisionIndex(ref)
        if taskDefinitions[i].status == .active { taskDefinitions[i].status = .inactive }
        return taskDefinitions[i]
    }

    /// DeleteTaskDefinitions: INACTIVE → DELETE_IN_PROGRESS; an ACTIVE revision must be deregistered first.
    @discardableResult
    public mutating func deleteTaskDefinition(_ ref: String) throws(ECSError) -> TaskDefinition {
        let i = try revisionIndex(ref)
        switch taskDefinitions[i].status {
        case .active: throw .deleteActiveTaskDefinition(taskDefinitions[i].arn)
        case .inactive: taskDefinitions[i].status = .deleteInProgress
        case .deleteInProgress: break
        }
        return taskDefinitions[i]
    }

    /// DescribeTaskDefinition: any state is describable; `family` alone means the latest ACTIVE revision.
    public func describeTaskDefinition(_ ref: String) throws(ECSError) -> TaskDefinition {
        guard Self.parseReference(ref) != nil else { throw .invalidTaskDefinitionReference(ref) }
        guard let i = taskDefinitionIndex(ref) else { throw .taskDefinitionNotFound(ref) }
        return taskDefinitions[i]
    }

    /// The §8.5 fix B: describe `ref` (any state), drop the read-only fields, register it again
    /// as a new ACTIVE revision.
    @discardableResult
    public mutating func registerCopy(of ref: String) throws(ECSError) -> TaskDefinition {
        let source = try describeTaskDefinition(ref)
        return try registerTaskDefinition(TaskDefinitionInput(copying: source))
    }

    /// Deregister and delete need an explicit revision.
    func revisionIndex(_ ref: String) throws(ECSError) -> Int {
        guard let (_, revision) = Self.parseReference(ref), revision != nil else {
            throw .invalidTaskDefinitionReference(ref)
        }
        guard let i = taskDefinitionIndex(ref) else { throw .taskDefinitionNotFound(ref) }
        return i
    }
}
