import Testing
@testable import JSONRPC

@Suite struct KeccakTests {
    func hex(_ bytes: [UInt8]) -> String { String(HexUtil.encode(bytes).dropFirst(2)) }

    @Test func knownVectors() {
        #expect(hex(Keccak256.hash([])) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(hex(Keccak256.hash("hello world")) == "47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad")
        // keccak(rlp([])) = sha3Uncles of a block without uncles.
        #expect(hex(Keccak256.hash([0xC0])) == "1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
        // keccak(rlp("")) = the empty trie root.
        #expect(hex(Keccak256.hash([0x80])) == "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
    }

    /// Derived with pycryptodome:
    /// python3 -c "from Crypto.Hash import keccak
    /// def k(b): h=keccak.new(digest_bits=256); h.update(b); return h.hexdigest()
    /// print(k(bytes(range(256))*2)); print(k(b'a'*135), k(b'a'*136), k(b'a'*137))"
    @Test func multiBlockAndRateBoundaries() {
        #expect(hex(Keccak256.hash(Array((0..<512).map { UInt8($0 % 256) })))
                == "f55ba327291604f0e5be6651752398b7be2331aad65f5763ce067df95cc13be1")
        #expect(hex(Keccak256.hash([UInt8](repeating: 0x61, count: 135))) == "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446")
        #expect(hex(Keccak256.hash([UInt8](repeating: 0x61, count: 136))) == "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e")
        #expect(hex(Keccak256.hash([UInt8](repeating: 0x61, count: 137))) == "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39")
    }

    static let checksummed = [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    ]

    @Test(arguments: checksummed)
    func eip55(_ address: String) {
        let bytes = EIP55.parse(address.lowercased())
        #expect(bytes?.count == 20)
        #expect(bytes.flatMap(EIP55.checksum) == address)
        #expect(EIP55.isValidChecksum(address))
    }

    @Test func eip55Rejections() {
        #expect(!EIP55.isValidChecksum("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))  // lowercase of a mixed one
        #expect(!EIP55.isValidChecksum("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"))
        #expect(!EIP55.isValidChecksum("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))  // one letter flipped
        #expect(!EIP55.isValidChecksum("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"))
        #expect(!EIP55.isValidChecksum("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"))
        #expect(!EIP55.isValidChecksum("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg"))
        #expect(EIP55.checksum([1, 2, 3]) == nil)
        #expect(EIP55.parse("0x12") == nil)
    }

    @Test func web3Sha3ThroughTheServer() {
        var s = RPCServer<Void>()
        s.register("web3_sha3", maxArguments: 1) { p throws(RPCError) in .data(Keccak256.hash(try p.required(0, .bytes))) }
        let reply = s.handle(Array(#"{"jsonrpc":"2.0","method":"web3_sha3","params":["0x68656c6c6f20776f726c64"],"id":64}"#.utf8))
        #expect(reply.map { String(decoding: $0, as: UTF8.self) }
                == #"{"jsonrpc":"2.0","id":64,"result":"0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad"}"#)
    }
}
