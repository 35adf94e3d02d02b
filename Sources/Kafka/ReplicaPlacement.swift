// Rack-unaware replica placement (kafka.md §5.4; apache/kafka server-common
// AdminUtils.assignReplicasToBrokers, the rack-unaware branch, described in prose there).

extension Cluster {
    /// Places `partitions` partitions of `replicationFactor` replicas on `brokerIDs` (in the given
    /// order; Kafka passes the brokers sorted by id).
    ///
    /// Rule: with n brokers, partition p's first replica is brokers[(p + startIndex) mod n]. The
    /// remaining replicas sit at distance `1 + (shift + j) mod (n - 1)` from the first (j = 0, 1, …),
    /// where `shift` starts at `startIndex` and grows by one each time p reaches a non-zero multiple of n
    /// inside this call. Kafka draws `startIndex` at random when none is fixed; here the caller passes it
    /// (drawn from a seeded RNG). `firstPartition` continues numbering for CreatePartitions; as in
    /// Kafka, `shift` then counts only the wraps seen while placing the new partitions.
    ///
    /// Returns [] when the request cannot be satisfied (no brokers, factor < 1 or > n, partitions < 0);
    /// callers validate and report those cases first.
    public static func assignReplicas(brokerIDs: [Int], partitions: Int, replicationFactor: Int,
                                      startIndex: Int, firstPartition: Int = 0) -> [[Int]] {
        let n = brokerIDs.count
        guard n > 0, partitions >= 0, replicationFactor >= 1, replicationFactor <= n else { return [] }
        // Reduce everything modulo n (or n - 1) first so that no intermediate sum can overflow and
        // negative inputs still land on a valid index; for non-negative inputs this equals Kafka's math.
        let start = mod(startIndex, n)
        let shiftBase = n > 1 ? mod(startIndex, n - 1) : 0
        var shiftWraps = 0
        var current = max(0, firstPartition)
        var result: [[Int]] = []
        result.reserveCapacity(partitions)
        for _ in 0..<partitions {
            if current > 0 && current % n == 0 { shiftWraps += 1 }
            let first = (current % n + start) % n
            var replicas = [brokerIDs[first]]
            for j in 0..<(replicationFactor - 1) {
                // n > 1 here because replicationFactor >= 2 and replicationFactor <= n.
                let shift = (shiftBase + shiftWraps % (n - 1) + j) % (n - 1)
                replicas.append(brokerIDs[(first + 1 + shift) % n])
            }
            result.append(replicas)
            current += 1
        }
        return result
    }

    private static func mod(_ value: Int, _ m: Int) -> Int {
        let r = value % m
        return r < 0 ? r + m : r
    }
}
