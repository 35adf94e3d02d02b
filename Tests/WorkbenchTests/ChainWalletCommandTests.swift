import Testing
@testable import WorkbenchKit

/// Part 5's wallets and part 6's Merkle tree through the chain commands.
struct ChainWalletCommandTests {
    // Goal: wallets come from the seeded random source (same seed, same addresses), addresses
    // validate as Base58Check, and the Merkle command reproduces Jeiwan's 3-item root
    // (merkle_tree_test.go: 4e3e44e5…227e) and proves membership of a 5th item (the case the
    // tutorial's tree broke on).
    @Test func walletsAddressesAndMerkle() {
        let a = Fixture.memorySession(), b = Fixture.memorySession()
        #expect(a.execute("chain createwallet").text == b.execute("chain createwallet").text)
        #expect(a.execute("expect chain listaddresses .[0].address starts-with \"1\"").succeeded)
        #expect(a.execute("expect chain address 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa .publicKeyHash == 62e907b15cbf27d5425399ebf6f0fb50ebb88f18").succeeded)
        #expect(a.execute("expect chain address 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb .valid == false").succeeded)
        #expect(a.execute("expect chain merkle node1 node2 node3 .root == 4e3e44e55926330ab6c31892f980f8bfd1a6e910ff1ebc3f778211377f35227e").succeeded)
        #expect(a.execute("expect chain merkle a b c d e --proof 4 .proof.verifies == true").succeeded)
        #expect(a.execute("chain merkle a b --proof 5").text.contains("items are numbered from 0 to 1"))
    }
}
