// Admin operations on topics: CreateTopics, CreatePartitions, DeleteTopics, IncrementalAlterConfigs.
// Every method validates completely before it changes anything, so a throw leaves the cluster as it was.

extension Cluster {
    /// CreateTopics. Checks, in Kafka's order: the name (INVALID_TOPIC_EXCEPTION), an existing topic
    /// (TOPIC_ALREADY_EXISTS), a '.'/'_' collision with an existing name (INVALID_TOPIC_EXCEPTION),
    /// the partition count (INVALID_PARTITIONS) and the replication factor against the live brokers
    /// (INVALID_REPLICATION_FACTOR, "Replication factor: R larger than available brokers: B.").
    /// Replicas are placed over the live brokers by `assignReplicas` with the caller's `startIndex`.
    @discardableResult
    public mutating func createTopic(_ name: String, partitions: Int, replicationFactor: Int,
                                     config: TopicConfig, startIndex: Int) throws -> Topic {
        if TopicName.problem(name) != nil { throw KafkaError.invalidTopic(name) }
        if topicIndex(name) != nil { throw KafkaError.topicAlreadyExists(name) }
        let key = TopicName.collisionKey(name)
        if topics.contains(where: { TopicName.collisionKey($0.name) == key }) {
            throw KafkaError.invalidTopic(name)
        }
        guard partitions >= 1, partitions <= Cluster.maxPartitions else {
            throw KafkaError.invalidPartitions(partitions)
        }
        let alive = aliveBrokerIDs
        guard replicationFactor >= 1, replicationFactor <= alive.count else {
            throw KafkaError.invalidReplicationFactor(requested: replicationFactor, brokers: alive.count)
        }
        // Re-validate the config's overrides (a decoded TopicConfig could carry anything).
        for override in config.overrides {
            _ = try TopicConfig.validate(override.name, override.value)
        }
        let assignment = Cluster.assignReplicas(brokerIDs: alive, partitions: partitions,
                                                replicationFactor: replicationFactor, startIndex: startIndex)
        let states = assignment.enumerated().map { newPartition(index: $0.offset, replicas: $0.element) }
        let topic = Topic(name: name, partitions: states, config: config)
        topics.insert(topic, at: insertionIndex(name))
        return topic
    }

    /// CreatePartitions: the count only grows; new partitions are placed by the same rule, numbering
    /// on from the existing count (`firstPartition` = current count), over the live brokers, with the
    /// topic's replication factor. Kafka's own messages: fewer → "Topic currently has N partitions,
    /// which is higher than the requested M."; equal → "Topic already has N partitions.".
    @discardableResult
    public mutating func addPartitions(_ name: String, total: Int, startIndex: Int) throws -> Topic {
        guard let t = topicIndex(name) else {
            throw KafkaError.unknownTopicOrPartition(topic: name, partition: nil)
        }
        let current = topics[t].partitions.count
        guard total > current else {
            throw KafkaError.partitionCountCannotDecrease(current: current, requested: total)
        }
        guard total <= Cluster.maxPartitions else { throw KafkaError.invalidPartitions(total) }
        let factor = topics[t].replicationFactor
        let alive = aliveBrokerIDs
        guard factor >= 1, factor <= alive.count else {
            throw KafkaError.invalidReplicationFactor(requested: factor, brokers: alive.count)
        }
        let assignment = Cluster.assignReplicas(brokerIDs: alive, partitions: total - current,
                                                replicationFactor: factor, startIndex: startIndex,
                                                firstPartition: current)
        for (offset, replicas) in assignment.enumerated() {
            topics[t].partitions.append(newPartition(index: current + offset, replicas: replicas))
        }
        return topics[t]
    }

    /// DeleteTopics: the topic and all its replicas' logs disappear.
    public mutating func deleteTopic(_ name: String) throws {
        guard let t = topicIndex(name) else {
            throw KafkaError.unknownTopicOrPartition(topic: name, partition: nil)
        }
        topics.remove(at: t)
    }

    /// IncrementalAlterConfigs (SET) for one topic config. See `alterConfigReportingElections`.
    public mutating func alterConfig(_ name: String, key: String, value: String) throws {
        _ = try alterConfigReportingElections(name, key: key, value: value)
    }

    /// Sets one topic config and applies its immediate effects:
    /// - a lower min.insync.replicas may let the high watermark advance (KAFKA-15583 rule);
    /// - switching unclean.leader.election.enable to true makes the controller try an unclean
    ///   election for the topic's offline partitions at once (Kafka's controller reacts to this
    ///   config change; ZK `enableTopicUncleanLeaderElection`, KRaft likewise).
    /// Returns the resulting leader changes.
    @discardableResult
    public mutating func alterConfigReportingElections(_ name: String, key: String, value: String) throws -> [ElectionChange] {
        guard let t = topicIndex(name) else {
            throw KafkaError.unknownTopicOrPartition(topic: name, partition: nil)
        }
        var config = topics[t].config
        try config.set(key, value)
        topics[t].config = config
        var changes: [ElectionChange] = []
        for p in topics[t].partitions.indices {
            if topics[t].partitions[p].leader == nil, let change = electOfflineLeader(topic: t, partition: p) {
                changes.append(change)
            }
            topics[t].partitions[p].updateHighWatermark(minInsyncReplicas: config.minInsyncReplicasValue)
        }
        return changes
    }
}
