// StickyAssignor / CooperativeStickyAssignor (reference §4.4, Kafka's AbstractStickyAssignor).
//
// Members are identified by member id only (no MemberInfo/static ordering, like Kafka), and every
// place where Kafka iterates a Java HashMap of members we iterate members in Java `compareTo` order
// of their ids instead. Partitions are numbered densely by `TopicTable` (id order = topic, partition).
//
// Previously owned partitions (KIP-429 `ownedPartitions` + generation) are resolved per partition,
// as Kafka ≥ 3.1 does: the claim from the highest generation wins; when two members claim it in that
// same highest generation it is taken from both ("claimed twice") and recorded as such. A claim from
// an older generation therefore only counts when no newer member claims that partition
// (Kafka's testNoReassignmentOnCurrentMembers keeps such partitions where they are).
// Kafka resolves claims in HashMap order, which makes a few three-way conflicts order-dependent;
// the per-partition rule above is the order-free reading of it.

extension Assignor {
    static func sticky(members: [GroupMember], partitionsPerTopic: [String: Int], cooperative: Bool) -> Assignment {
        var result = emptyResult(members)
        // Kafka keys subscriptions by member id; sort by id (Java order) for every "HashMap" loop.
        let consumers = members.sorted { javaStringPrecedes($0.memberID, $1.memberID) }
        guard !consumers.isEmpty else { return Assignment(partitions: result) }

        let table = TopicTable(topics: consumers.lazy.flatMap(\.topics), partitionsPerTopic: partitionsPerTopic)
        let topicOf = table.topicOfID()
        let claims = resolveOwnership(consumers, table: table)

        // allSubscriptionsEqual compares the raw subscribed topic sets.
        let firstTopics = Set(consumers[0].topics)
        let allEqual = consumers.allSatisfy { Set($0.topics) == firstTopics }

        var lists: [[Int]]
        var transferring: [(partition: Int, consumer: Int)]
        if allEqual {
            (lists, transferring) = constrainedAssign(
                consumerCount: consumers.count, table: table, topicOf: topicOf, claims: claims)
        } else {
            var builder = GeneralBuilder(consumers: consumers, table: table, topicOf: topicOf, claims: claims)
            lists = builder.build()
            transferring = cooperative
                ? partitionsTransferringOwnership(consumers: consumers, table: table, lists: lists)
                : []
        }

        var withheld: [TopicPartition] = []
        if cooperative && !transferring.isEmpty {
            // CooperativeStickyAssignor.adjustAssignment: a partition changing owner is left out of this
            // round; its old owner revokes it and the follow-up rebalance hands it to the new owner.
            var drop = [Bool](repeating: false, count: table.total)
            for entry in transferring { drop[entry.partition] = true }
            for ci in lists.indices { lists[ci].removeAll { drop[$0] } }
            withheld = table.partitionLists([transferring.map(\.partition)], topicOf: topicOf)[0]
        }

        let partitionLists = table.partitionLists(lists, topicOf: topicOf)
        for (ci, c) in consumers.enumerated() { result[c.memberID] = partitionLists[ci] }
        return Assignment(partitions: result, withheld: withheld)
    }

    // MARK: - Ownership claims

    struct OwnershipClaims {
        /// Each consumer's valid owned partitions (ids ascending), after the generation rules.
        var owned: [[Int]]
        /// Partitions claimed by two members of the highest claiming generation (taken from both).
        var claimedTwice: [Bool]
        /// The highest generation any member reported (-1 when none).
        var maxGeneration: Int
    }

    /// Applies the generation rules to every member's `ownedPartitions` (unknown topics and
    /// out-of-range partition numbers are dropped, like partitions of deleted topics).
    static func resolveOwnership(_ consumers: [GroupMember], table: TopicTable) -> OwnershipClaims {
        let total = table.total
        var owner = [Int32](repeating: -1, count: total)
        var ownerGeneration = [Int](repeating: Int.min, count: total)
        var tied = [Bool](repeating: false, count: total)
        var maxGeneration = -1
        for (ci, c) in consumers.enumerated() {
            let generation = c.generation
            maxGeneration = max(maxGeneration, generation)
            for tp in c.ownedPartitions {
                guard let id = table.id(of: tp) else { continue }
                let current = owner[id]
                if current < 0 {
                    owner[id] = Int32(ci)
                    ownerGeneration[id] = generation
                } else if Int(current) == ci {
                    continue  // listed twice by the same member
                } else if generation > ownerGeneration[id] {
                    owner[id] = Int32(ci)
                    ownerGeneration[id] = generation
                    tied[id] = false
                } else if generation == ownerGeneration[id] {
                    tied[id] = true
                }
            }
        }
        var owned = [[Int]](repeating: [], count: consumers.count)
        for id in 0..<total where owner[id] >= 0 && !tied[id] {
            owned[Int(owner[id])].append(id)
        }
        return OwnershipClaims(owned: owned, claimedTwice: tied, maxGeneration: maxGeneration)
    }

    // MARK: - Constrained path (all members subscribe to the same topics)

    /// Kafka's ConstrainedAssignmentBuilder without racks. Linear apart from sorting each member's
    /// owned partitions, so 1,000,000 partitions × 2,000 members stays well under a second.
    static func constrainedAssign(
        consumerCount: Int, table: TopicTable, topicOf: [Int32], claims: OwnershipClaims
    ) -> (lists: [[Int]], transferring: [(partition: Int, consumer: Int)]) {
        let total = table.total
        let minQuota = total / consumerCount
        let maxQuota = (total + consumerCount - 1) / consumerCount
        let expectedMembersOverMin = total % consumerCount
        var membersOverMin = 0

        var lists = [[Int]](repeating: [], count: consumerCount)
        var assigned = [Bool](repeating: false, count: total)
        var revoked = [Bool](repeating: false, count: total)
        var underMin: [Int] = []
        var exactlyMin: [Int] = []
        let topicCount = max(1, table.names.count)

        // Step 1: keep owned partitions up to the quota. Kafka walks members in HashMap order; when
        // more members own ≥ maxQuota than there are maxQuota slots, that order decides who keeps
        // maxQuota (reference §4.4 caveat). We walk members by id (Java order) instead.
        for ci in 0..<consumerCount {
            // Owned partitions sorted by (partition number, topic), as Kafka does before cutting.
            var keys = claims.owned[ci].map { id -> Int in
                let t = Int(topicOf[id])
                return (id - table.offsets[t]) * topicCount + t
            }
            keys.sort()
            let owned = keys.map { key in table.offsets[key % topicCount] + key / topicCount }

            let keep: Int
            if owned.count < minQuota {
                keep = owned.count
                underMin.append(ci)
            } else if owned.count >= maxQuota && membersOverMin < expectedMembersOverMin {
                keep = maxQuota
                membersOverMin += 1
                if membersOverMin == expectedMembersOverMin { exactlyMin.removeAll() }
            } else {
                keep = minQuota
                if membersOverMin < expectedMembersOverMin { exactlyMin.append(ci) }
            }
            lists[ci].reserveCapacity(maxQuota)
            for (i, id) in owned.enumerated() {
                if i < keep {
                    lists[ci].append(id)
                    assigned[id] = true
                } else {
                    revoked[id] = true
                }
            }
        }

        // Steps 2–3: unassigned partitions in (topic, partition) order, round-robin over the members
        // under minQuota (ascending id; a member reaching minQuota leaves the rotation and joins the
        // back of the "exactly minQuota" queue); once nobody is under minQuota, the queue's members
        // take one more partition each (up to maxQuota) in order.
        var transferring: [(partition: Int, consumer: Int)] = []
        var rotation = underMin
        var position = 0
        var stillUnder: [Int] = []
        var queueHead = 0
        for id in 0..<total where !assigned[id] {
            let ci: Int
            var fromRotation = true
            if position < rotation.count {
                ci = rotation[position]
                position += 1
            } else if !stillUnder.isEmpty {
                rotation = stillUnder
                stillUnder = []
                ci = rotation[0]
                position = 1
            } else if queueHead < exactlyMin.count {
                ci = exactlyMin[queueHead]
                queueHead += 1
                fromRotation = false
            } else {
                // Unreachable when the quotas add up (Kafka throws IllegalStateException here);
                // stay valid anyway by giving the partition to the least-loaded member.
                ci = lists.indices.min { lists[$0].count < lists[$1].count } ?? 0
                fromRotation = false
            }
            lists[ci].append(id)
            if revoked[id] || claims.claimedTwice[id] {
                transferring.append((id, ci))
            }
            let count = lists[ci].count
            if count == minQuota {
                exactlyMin.append(ci)
            } else {
                if fromRotation { stillUnder.append(ci) }
                if count == maxQuota { membersOverMin += 1 }
            }
        }
        return (lists, transferring)
    }

    // MARK: - Cooperative bookkeeping for the general path

    /// CooperativeStickyAssignor.computePartitionsTransferringOwnership: a partition is transferring
    /// when its new owner did not report owning it and some member reported owning it but lost it.
    static func partitionsTransferringOwnership(
        consumers: [GroupMember], table: TopicTable, lists: [[Int]]
    ) -> [(partition: Int, consumer: Int)] {
        var finalOwner = [Int32](repeating: -1, count: table.total)
        for (ci, ids) in lists.enumerated() {
            for id in ids { finalOwner[id] = Int32(ci) }
        }
        var revoked = [Bool](repeating: false, count: table.total)
        var reportedByFinalOwner = [Bool](repeating: false, count: table.total)
        for (ci, c) in consumers.enumerated() {
            for tp in c.ownedPartitions {
                guard let id = table.id(of: tp) else { continue }
                if Int(finalOwner[id]) == ci {
                    reportedByFinalOwner[id] = true
                } else {
                    revoked[id] = true
                }
            }
        }
        var out: [(partition: Int, consumer: Int)] = []
        for id in 0..<table.total where finalOwner[id] >= 0 && revoked[id] && !reportedByFinalOwner[id] {
            out.append((id, Int(finalOwner[id])))
        }
        return out
    }
}

// MARK: - General path (members subscribe to different topics)

/// Kafka's GeneralAssignmentBuilder without racks: keep every valid owned partition, give each
/// unassigned partition to the least-loaded eligible member, then move partitions toward balance
/// (preferring to move a partition back to its previous-generation owner, and undoing earlier moves
/// of the same topic between the same two members instead of adding cross moves), keeping the
/// rebalanced result only if it is strictly better balanced than the starting point.
struct GeneralBuilder {
    let table: TopicTable
    let topicOf: [Int32]
    let consumerCount: Int
    /// Subscribed topic indices per consumer, and the same as a membership matrix.
    var subscribedTopics: [[Int]]
    var isSubscribed: [[Bool]]
    var topicConsumers: [[Int]]
    var maxAssignmentSize: [Int]

    var owner: [Int]
    var lists: [[Int]]
    var slot: [Int]
    var revocationRequired = false

    /// Consumers still taking part, sorted by (assigned count, id) like Kafka's SubscriptionComparator.
    var order: [Int] = []
    var active: [Bool]

    var prevOwner: [Int]
    var movements = PartitionMovements()

    init(consumers: [GroupMember], table: TopicTable, topicOf: [Int32], claims: Assignor.OwnershipClaims) {
        self.table = table
        self.topicOf = topicOf
        consumerCount = consumers.count
        let topicCount = table.names.count
        var subscribedTopics = [[Int]](repeating: [], count: consumers.count)
        var isSubscribed = [[Bool]](repeating: [Bool](repeating: false, count: topicCount), count: consumers.count)
        var topicConsumers = [[Int]](repeating: [], count: topicCount)
        var maxAssignmentSize = [Int](repeating: 0, count: consumers.count)
        for (ci, c) in consumers.enumerated() {
            for name in c.topics {
                guard let t = table.indexByName[name], !isSubscribed[ci][t] else { continue }
                isSubscribed[ci][t] = true
                subscribedTopics[ci].append(t)
                topicConsumers[t].append(ci)
                maxAssignmentSize[ci] += table.counts[t]
            }
            subscribedTopics[ci].sort()
        }
        self.subscribedTopics = subscribedTopics
        self.isSubscribed = isSubscribed
        self.topicConsumers = topicConsumers
        self.maxAssignmentSize = maxAssignmentSize

        // Keep owned partitions the member is still subscribed to; dropping one because the member
        // unsubscribed from its topic means a revocation is required.
        owner = [Int](repeating: -1, count: table.total)
        slot = [Int](repeating: 0, count: table.total)
        lists = [[Int]](repeating: [], count: consumers.count)
        active = [Bool](repeating: true, count: consumers.count)
        for ci in 0..<consumers.count {
            for id in claims.owned[ci] {
                if isSubscribed[ci][Int(topicOf[id])] {
                    owner[id] = ci
                    slot[id] = lists[ci].count
                    lists[ci].append(id)
                } else {
                    revocationRequired = true
                }
            }
        }

        // prevAssignment: per partition, the owner reported in the highest generation below the
        // current maximum (ties: first member by id, where Kafka takes HashMap order).
        prevOwner = [Int](repeating: -1, count: table.total)
        var prevGeneration = [Int](repeating: Int.min, count: table.total)
        for (ci, c) in consumers.enumerated() where c.generation < claims.maxGeneration {
            for tp in c.ownedPartitions {
                guard let id = table.id(of: tp) else { continue }
                if prevOwner[id] < 0 || c.generation > prevGeneration[id] {
                    prevOwner[id] = ci
                    prevGeneration[id] = c.generation
                }
            }
        }
    }

    // MARK: Sorted consumer set

    func precedes(_ a: Int, _ b: Int) -> Bool {
        let ca = lists[a].count, cb = lists[b].count
        return ca != cb ? ca < cb : a < b
    }

    func orderIndex(of ci: Int) -> Int {
        var lo = 0, hi = order.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if precedes(order[mid], ci) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    mutating func removeFromOrder(_ ci: Int) {
        let i = orderIndex(of: ci)
        if i < order.count && order[i] == ci { order.remove(at: i) }
    }

    mutating func insertIntoOrder(_ ci: Int) {
        order.insert(ci, at: orderIndex(of: ci))
    }

    // MARK: Moving partitions

    mutating func give(_ id: Int, to ci: Int) {
        owner[id] = ci
        slot[id] = lists[ci].count
        lists[ci].append(id)
    }

    mutating func take(_ id: Int, from ci: Int) {
        let i = slot[id]
        let last = lists[ci].count - 1
        if i != last {
            let moved = lists[ci][last]
            lists[ci][i] = moved
            slot[moved] = i
        }
        lists[ci].removeLast()
        owner[id] = -1
    }

    /// The first consumer (least loaded, then by id) subscribed to the topic.
    func firstEligible(topic t: Int) -> Int? {
        order.first { isSubscribed[$0][t] }
    }

    // MARK: Build

    mutating func build() -> [[Int]] {
        order = (0..<consumerCount).sorted { precedes($0, $1) }
        let initializing = order.last.map { lists[$0].isEmpty } ?? true

        // Topics by (number of potential consumers, name), then partitions in order.
        let topicCount = table.names.count
        let sortedTopics = (0..<topicCount).sorted {
            let a = topicConsumers[$0].count, b = topicConsumers[$1].count
            return a != b ? a < b : $0 < $1
        }
        var sortedAll: [Int] = []
        sortedAll.reserveCapacity(table.total)
        for t in sortedTopics {
            let start = table.offsets[t]
            sortedAll.append(contentsOf: start..<(start + table.counts[t]))
        }
        var unassigned = sortedAll.filter { owner[$0] < 0 }

        // Assign every unassigned partition to the least-loaded eligible consumer.
        for id in unassigned {
            let t = Int(topicOf[id])
            guard let ci = firstEligible(topic: t) else { continue }
            removeFromOrder(ci)
            give(id, to: ci)
            insertIntoOrder(ci)
        }

        // Only partitions of topics with ≥ 2 potential consumers can move.
        let movableTopic = topicConsumers.map { $0.count >= 2 }
        let topicOf = self.topicOf
        sortedAll.removeAll { !movableTopic[Int(topicOf[$0])] }
        unassigned.removeAll { !movableTopic[Int(topicOf[$0])] }

        // Only consumers that could gain a partition, or hold a movable one, take part.
        for ci in 0..<consumerCount where !canParticipate(ci) {
            active[ci] = false
            removeFromOrder(ci)
        }

        let savedOwner = owner, savedLists = lists, savedSlot = slot, savedOrder = order
        let scoreBefore = balanceScore()

        if !revocationRequired {
            _ = performReassignments(unassigned)
        }
        let reassigned = performReassignments(sortedAll)

        if !initializing && reassigned && balanceScore() >= scoreBefore {
            owner = savedOwner
            lists = savedLists
            slot = savedSlot
            order = savedOrder
        }
        return lists
    }

    func canParticipate(_ ci: Int) -> Bool {
        if lists[ci].count < maxAssignmentSize[ci] { return true }
        return lists[ci].contains { topicConsumers[Int(topicOf[$0])].count >= 2 }
    }

    /// Sum over all pairs of active consumers of the difference of their partition counts.
    func balanceScore() -> Int {
        let counts = order.map { lists[$0].count }.sorted()
        var score = 0, prefix = 0
        for (i, c) in counts.enumerated() {
            score += c * i - prefix
            prefix += c
        }
        return score
    }

    /// Balanced when min and max counts differ by at most one, or when no consumer below its
    /// maximum could take a partition from a consumer holding at least two more than it.
    func isBalanced() -> Bool {
        guard let first = order.first, let last = order.last else { return true }
        if lists[first].count >= lists[last].count - 1 { return true }
        // Highest partition count among the active owners of each topic's partitions.
        var topicMax = [Int](repeating: 0, count: table.names.count)
        for ci in order {
            let n = lists[ci].count
            for id in lists[ci] {
                let t = Int(topicOf[id])
                if n > topicMax[t] { topicMax[t] = n }
            }
        }
        for ci in order {
            let n = lists[ci].count
            if n == maxAssignmentSize[ci] { continue }
            for t in subscribedTopics[ci] where topicMax[t] > n + 1 { return false }
        }
        return true
    }

    mutating func performReassignments(_ partitions: [Int]) -> Bool {
        var performed = false
        // Kafka loops until a full pass changes nothing; the cap on moves only guards against a cycle.
        var budget = 1_000 + 50 * (table.total + consumerCount)
        var modified: Bool
        repeat {
            modified = false
            for id in partitions {
                if isBalanced() { break }
                let current = owner[id]
                guard current >= 0, active[current] else { continue }
                let t = Int(topicOf[id])
                let previous = prevOwner[id]
                if previous >= 0, previous != current, active[previous], isSubscribed[previous][t],
                   lists[current].count > lists[previous].count + 1 {
                    reassign(id, to: previous)
                    performed = true
                    modified = true
                    budget -= 1
                } else if topicConsumers[t].contains(where: { active[$0] && lists[current].count > lists[$0].count + 1 }),
                          let target = firstEligible(topic: t) {
                    reassign(id, to: target)
                    performed = true
                    modified = true
                    budget -= 1
                }
                if budget <= 0 { return performed }
            }
        } while modified
        return performed
    }

    mutating func reassign(_ id: Int, to newConsumer: Int) {
        let oldConsumer = owner[id]
        let moved = movements.partitionToMove(id, topic: Int(topicOf[id]), from: oldConsumer, to: newConsumer)
        let from = owner[moved]
        guard from >= 0, from != newConsumer else { return }
        removeFromOrder(from)
        removeFromOrder(newConsumer)
        movements.record(moved, topic: Int(topicOf[moved]), from: from, to: newConsumer)
        take(moved, from: from)
        give(moved, to: newConsumer)
        insertIntoOrder(newConsumer)
        insertIntoOrder(from)
    }
}

/// Kafka's PartitionMovements: the net move of every partition during one rebalance, indexed by
/// topic and (source, destination) pair, so a move in the opposite direction can swap back a
/// partition of the same topic instead of creating crossing moves.
struct PartitionMovements {
    struct Pair: Hashable {
        var source: Int
        var destination: Int
    }

    var byPartition: [Int: Pair] = [:]
    var byTopic: [Int: [Pair: Set<Int>]] = [:]

    mutating func removeRecord(_ id: Int, topic: Int) -> Pair? {
        guard let pair = byPartition.removeValue(forKey: id) else { return nil }
        byTopic[topic]?[pair]?.remove(id)
        if byTopic[topic]?[pair]?.isEmpty == true { byTopic[topic]?[pair] = nil }
        if byTopic[topic]?.isEmpty == true { byTopic[topic] = nil }
        return pair
    }

    mutating func addRecord(_ id: Int, topic: Int, _ pair: Pair) {
        byPartition[id] = pair
        byTopic[topic, default: [:]][pair, default: []].insert(id)
    }

    mutating func record(_ id: Int, topic: Int, from old: Int, to new: Int) {
        if let existing = removeRecord(id, topic: topic) {
            // Moving back to where it started this rebalance cancels the record.
            if existing.source != new {
                addRecord(id, topic: topic, Pair(source: existing.source, destination: new))
            }
        } else {
            addRecord(id, topic: topic, Pair(source: old, destination: new))
        }
    }

    /// The partition that should actually move from `old` to `new`: if some partition of the same
    /// topic already moved from `new` to (the original owner behind) `old`, move that one back.
    /// Kafka takes the first element of a HashSet; we take the smallest id.
    func partitionToMove(_ id: Int, topic: Int, from old: Int, to new: Int) -> Int {
        guard let topicMoves = byTopic[topic] else { return id }
        let origin = byPartition[id]?.source ?? old
        guard let candidates = topicMoves[Pair(source: new, destination: origin)], let pick = candidates.min() else {
            return id
        }
        return pick
    }
}
