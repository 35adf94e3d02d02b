// `kafka-topics --describe` output (kafka.md §5.4), without the TopicId column.

extension Cluster {
    /// The topic header line, then one tab-indented line per partition:
    ///
    ///     Topic: T\tPartitionCount: N\tReplicationFactor: R\tConfigs: k=v,…
    ///     \tTopic: T\tPartition: p\tLeader: id|none\tReplicas: a,b\tIsr: a,b
    ///
    /// `Configs:` lists only explicit topic overrides (non-default entries), comma-separated, as
    /// TopicCommand does; it is followed by a space even when empty. Lines are joined with "\n".
    public func describe(_ name: String) throws -> String {
        let topic = try self.topic(name)
        let configs = topic.config.entries.filter { !$0.isDefault }.map { "\($0.name)=\($0.value)" }
        var lines = ["Topic: \(topic.name)\tPartitionCount: \(topic.partitions.count)\tReplicationFactor: \(topic.replicationFactor)\tConfigs: \(configs.joined(separator: ","))"]
        for state in topic.partitions {
            let leader = state.leader.map(String.init) ?? "none"
            let replicas = state.replicas.map(String.init).joined(separator: ",")
            let isr = state.isr.map(String.init).joined(separator: ",")
            lines.append("\tTopic: \(topic.name)\tPartition: \(state.index)\tLeader: \(leader)\tReplicas: \(replicas)\tIsr: \(isr)")
        }
        return lines.joined(separator: "\n")
    }
}
