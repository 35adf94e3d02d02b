import Foundation
import Testing
@testable import Kafka

@Suite struct CodableTests {
    // Goal: the cluster's Codable form round-trips and is deterministic (logs encoded as a broker-sorted
    // array, not a Dictionary); method: encode twice with JSONEncoder, decode, compare with ==.
    @Test func roundTripIsDeterministic() throws {
        var cluster = Cluster(brokerCount: 5)
        try cluster.createTopic("t", partitions: 3, replicationFactor: 3, config: TopicConfig(), startIndex: 2)
        try cluster.append(topic: "t", partition: 1, records: makeRecords(3), recordSizes: [5, 6, 7], acks: .all)
        try cluster.stopBroker(2)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let first = try encoder.encode(cluster)
        let second = try encoder.encode(try JSONDecoder().decode(Cluster.self, from: first))
        #expect(first == second)
        #expect(try JSONDecoder().decode(Cluster.self, from: first) == cluster)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("\"broker\":1"))
    }
}
