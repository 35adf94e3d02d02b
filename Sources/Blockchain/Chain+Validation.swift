/// Jeiwan part 2 `ProofOfWork.Validate()` (recompute `prepareData(block.Nonce)`, compare with the target),
/// extended with the two checks Jeiwan's `printchain` never makes: stored hash vs recomputed hash, and
/// the `PrevBlockHash` link to the previous block.
///
/// The link is checked against the previous block's *recomputed* hash, not its stored `Hash` field:
/// a block is identified by the hash of its contents (as in Bitcoin, where the stored hash is only a
/// cache of the header's hash), so tampering with block N breaks the link from block N+1 at once —
/// the tail turns red, as in Anders Brownworth's blockchain demo.
extension Chain {
    public func validate() -> ChainReport {
        var verdicts: [BlockVerdict] = []
        verdicts.reserveCapacity(blocks.count)
        var previous: [UInt8] = []
        for (index, block) in blocks.enumerated() {
            let computed = block.computedHash
            verdicts.append(verdict(index: index, block: block, computed: computed, previousComputed: previous))
            previous = computed
        }
        return ChainReport(blocks: verdicts)
    }

    /// The verdict on one block alone (it needs only that block and the one before it).
    public func verdict(at index: Int) -> BlockVerdict? {
        guard blocks.indices.contains(index) else { return nil }
        let previous = index == 0 ? [] : blocks[index - 1].computedHash
        return verdict(index: index, block: blocks[index], computed: blocks[index].computedHash, previousComputed: previous)
    }

    private func verdict(index: Int, block: Block, computed: [UInt8], previousComputed: [UInt8]) -> BlockVerdict {
        var problems: [BlockProblem] = []
        if block.hash != computed {
            problems.append(.hashMismatch(stored: block.hash, computed: computed))
        }
        if !ProofOfWork.meets(hash: computed, targetBits: block.targetBits) {
            problems.append(.proofOfWork(computed: computed, targetBits: block.targetBits))
        }
        // Genesis: Jeiwan's NewGenesisBlock uses an empty PrevBlockHash.
        if block.prevBlockHash != previousComputed {
            problems.append(.prevLink(expected: previousComputed, found: block.prevBlockHash))
        }
        return BlockVerdict(index: index, problems: problems)
    }
}
