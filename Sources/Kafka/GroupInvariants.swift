// Self-checks of the group world; an empty list means every invariant holds.

extension GroupWorld {
    public func checkInvariants() -> [String] {
        var problems: [String] = []
        // The queue is ordered by (time, sequence) and sequences are unique and already issued.
        for i in queue.indices {
            if queue[i].sequence >= nextSequence { problems.append("event \(queue[i].sequence) has an unissued sequence") }
            if i > 0 {
                let a = queue[i - 1], b = queue[i]
                if (a.atMs, a.sequence) >= (b.atMs, b.sequence) { problems.append("queue out of order at \(i)") }
            }
        }
        if timelineEntries.count > Self.timelineCapacity { problems.append("timeline exceeds its capacity") }
        for i in groups.indices.dropFirst() where groups[i - 1].groupID >= groups[i].groupID {
            problems.append("groups not sorted at \(groups[i].groupID)")
        }
        for i in consumers.indices {
            for j in consumers.indices where j > i && consumers[i].name == consumers[j].name {
                problems.append("duplicate consumer name \(consumers[i].name)")
            }
        }
        for g in groups {
            let ids = g.members.map(\.memberID)
            if Set(ids).count != ids.count { problems.append("\(g.groupID): duplicate member ids") }
            let instances = g.members.compactMap(\.instanceID)
            if Set(instances).count != instances.count { problems.append("\(g.groupID): duplicate group.instance.id") }
            if g.offsetsPartition != Self.offsetsPartition(groupID: g.groupID) {
                problems.append("\(g.groupID): wrong __consumer_offsets partition")
            }
            switch g.state {
            case .empty, .dead:
                if !g.members.isEmpty { problems.append("\(g.groupID): \(g.state.rawValue) group has members") }
                if g.leader != nil { problems.append("\(g.groupID): \(g.state.rawValue) group has a leader") }
            case .completingRebalance, .stable:
                if g.members.isEmpty { problems.append("\(g.groupID): \(g.state.rawValue) group has no members") }
                if let leader = g.leader, g.memberIndex(leader) == nil { problems.append("\(g.groupID): leader \(leader) is not a member") }
                if g.leader == nil { problems.append("\(g.groupID): no leader") }
                if g.generation < 1 { problems.append("\(g.groupID): generation \(g.generation) in \(g.state.rawValue)") }
                if g.members.contains(where: \.awaitingJoin) { problems.append("\(g.groupID): parked JoinGroup outside PreparingRebalance") }
            case .preparingRebalance:
                break
            }
            if g.state == .stable {
                let all = g.members.flatMap(\.assignment)
                if Set(all).count != all.count { problems.append("\(g.groupID): a partition is assigned twice in the stable generation") }
                if g.members.contains(where: \.awaitingSync) { problems.append("\(g.groupID): parked SyncGroup in Stable") }
            }
            for i in g.offsets.indices.dropFirst() where !(g.offsets[i - 1].topicPartition < g.offsets[i].topicPartition) {
                problems.append("\(g.groupID): committed offsets not sorted")
            }
            if g.offsets.contains(where: { $0.offset < 0 }) { problems.append("\(g.groupID): negative committed offset") }
            // Live consumers that are current members of the current generation never share a partition.
            let current = consumers.filter { c in
                !c.isDead && c.config.groupID == g.groupID && c.generation == g.generation && g.memberIndex(c.memberID) != nil
            }
            let owned = current.flatMap(\.assignment)
            if Set(owned).count != owned.count { problems.append("\(g.groupID): two live members own the same partition") }
        }
        for c in consumers {
            for p in c.positions {
                if !c.assignment.contains(p.topicPartition) { problems.append("\(c.name): position for unassigned \(p.topicPartition)") }
                if p.offset < 0 { problems.append("\(c.name): negative position") }
            }
            if c.phase == .stable && (c.generation < 1 || c.memberID.isEmpty) {
                problems.append("\(c.name): stable without member id or generation")
            }
            if c.isDead && (!c.assignment.isEmpty || !c.positions.isEmpty) { problems.append("\(c.name): dead consumer owns partitions") }
            if c.assignment != c.assignment.sorted() { problems.append("\(c.name): assignment not sorted") }
        }
        problems += externalInvariantProblems()
        return problems
    }
}
