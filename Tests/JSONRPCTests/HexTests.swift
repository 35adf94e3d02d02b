import Testing
@testable import JSONRPC

@Suite struct HexTests {
    @Test func encodeQuantityAndData() {
        #expect(HexUtil.encodeUint64(0) == "0x0")
        #expect(HexUtil.encodeUint64(0x41) == "0x41")
        #expect(HexUtil.encodeUint64(1024) == "0x400")
        #expect(HexUtil.encodeUint64(.max) == "0xffffffffffffffff")
        #expect(HexUtil.encodeBig(bigEndian: []) == "0x0")
        #expect(HexUtil.encodeBig(bigEndian: [0, 0]) == "0x0")
        #expect(HexUtil.encodeBig(bigEndian: [0x00, 0x04, 0x00]) == "0x400")
        #expect(HexUtil.encodeBig(bigEndian: [0x16, 0x39, 0xe4, 0x9b, 0xba, 0x16, 0x28, 0x00, 0x00]) == "0x1639e49bba16280000")
        #expect(HexUtil.encodeBig(bigEndian: [UInt8](repeating: 0xff, count: 32)) == "0x" + String(repeating: "f", count: 64))
        #expect(HexUtil.encode([]) == "0x")
        #expect(HexUtil.encode([0x00, 0x42, 0x00]) == "0x004200")
        #expect(HexUtil.encode([0xAB, 0xCD]) == "0xabcd")
        #expect(JSONValue.quantity(0x539) == .string("0x539"))
        #expect(JSONValue.quantity(bigEndian: [0x76]) == .string("0x76"))
        #expect(JSONValue.data([0x68, 0x69]) == .string("0x6869"))
    }

    @Test func stringDecodersUseHexutilTexts() {
        func u64(_ s: String) -> String {
            do { return String(try HexUtil.decodeUint64(s)) } catch { return error.description }
        }
        #expect(u64("0x0") == "0")
        #expect(u64("0x41") == "65")
        #expect(u64("0XfF") == "255")
        #expect(u64("0xffffffffffffffff") == String(UInt64.max))
        #expect(u64("") == "empty hex string")
        #expect(u64("41") == "hex string without 0x prefix")
        #expect(u64("0x") == "hex string \"0x\"")
        #expect(u64("0x01") == "hex number with leading zero digits")
        #expect(u64("0x10000000000000000") == "hex number > 64 bits")
        #expect(u64("0xg") == "invalid hex string")
        #expect(u64("0x1g000000000000000") == "invalid hex string")
        #expect(u64("0x10000000000000000g") == "hex number > 64 bits")

        func big(_ s: String) -> String {
            do { return HexUtil.encode(try HexUtil.decodeBig(s)) } catch { return error.description }
        }
        #expect(big("0x0") == "0x")
        #expect(big("0x1639e49bba16280000") == "0x1639e49bba16280000")
        #expect(big("0x123") == "0x0123")
        #expect(big("0x" + String(repeating: "f", count: 64)) == "0x" + String(repeating: "f", count: 64))
        #expect(big("0x1" + String(repeating: "0", count: 64)) == "hex number > 256 bits")
        #expect(big("0x0400") == "hex number with leading zero digits")

        func bytes(_ s: String) -> String {
            do { return HexUtil.encode(try HexUtil.decode(s)) } catch { return error.description }
        }
        #expect(bytes("0x") == "0x")
        #expect(bytes("0x004200") == "0x004200")
        #expect(bytes("0xABcd") == "0xabcd")
        #expect(bytes("") == "empty hex string")
        #expect(bytes("004200") == "hex string without 0x prefix")
        #expect(bytes("0xf0f0f") == "hex string of odd length")
        #expect(bytes("0xzz") == "invalid hex string")
    }

    func reason<T>(_ arg: RPCArgument<T>, _ text: String) -> String {
        let params = RPCParams([json(text)])
        do { return "ok \(try params.required(0, arg))" } catch { return "\(error.code) \(error.message)" }
    }

    @Test func jsonArgumentsUseGethTexts() {
        #expect(reason(.uint64, #""0x10""#) == "ok 16")
        #expect(reason(.uint64, #""""#) == "ok 0")
        #expect(reason(.uint64, "16") == "-32602 invalid argument 0: json: cannot unmarshal non-string into Go value of type hexutil.Uint64")
        #expect(reason(.uint64, #""16""#) == "-32602 invalid argument 0: json: cannot unmarshal hex string without 0x prefix into Go value of type hexutil.Uint64")
        #expect(reason(.uint64, #""0x""#) == "-32602 invalid argument 0: json: cannot unmarshal hex string \"0x\" into Go value of type hexutil.Uint64")
        #expect(reason(.uint64, #""0x010""#) == "-32602 invalid argument 0: json: cannot unmarshal hex number with leading zero digits into Go value of type hexutil.Uint64")
        #expect(reason(.uint64, #""0x1ffffffffffffffff""#) == "-32602 invalid argument 0: json: cannot unmarshal hex number > 64 bits into Go value of type hexutil.Uint64")
        #expect(reason(.uint64, #""0xx""#) == "-32602 invalid argument 0: json: cannot unmarshal invalid hex string into Go value of type hexutil.Uint64")
        #expect(reason(.big, #""0x1639e49bba16280000""#) == "ok [22, 57, 228, 155, 186, 22, 40, 0, 0]")
        #expect(reason(.big, #""0x0""#) == "ok []")
        #expect(reason(.big, #""0x1"# + String(repeating: "0", count: 64) + #"""#)
                == "-32602 invalid argument 0: json: cannot unmarshal hex number > 256 bits into Go value of type *hexutil.Big")
        #expect(reason(.bytes, #""0x68656c6c6f""#) == "ok [104, 101, 108, 108, 111]")
        #expect(reason(.bytes, #""0x""#) == "ok []")
        #expect(reason(.bytes, #""0xf0f0f""#) == "-32602 invalid argument 0: json: cannot unmarshal hex string of odd length into Go value of type hexutil.Bytes")
        #expect(reason(.bytes, #""68656c""#) == "-32602 invalid argument 0: json: cannot unmarshal hex string without 0x prefix into Go value of type hexutil.Bytes")
        #expect(reason(.bytes, #""0xqq""#) == "-32602 invalid argument 0: json: cannot unmarshal invalid hex string into Go value of type hexutil.Bytes")
        #expect(reason(.bytes, "[1]") == "-32602 invalid argument 0: json: cannot unmarshal non-string into Go value of type hexutil.Bytes")
        #expect(reason(.address, #""0x9b1d35635cc34752ca54713bb99d38614f63c955""#).hasPrefix("ok [155, 29,"))
        #expect(reason(.address, #""0x9b1d35635cc34752ca54713bb99d38614f63c9""#)
                == "-32602 invalid argument 0: hex string has length 38, want 40 for common.Address")
        #expect(reason(.address, #""9b1d35635cc34752ca54713bb99d38614f63c955""#)
                == "-32602 invalid argument 0: json: cannot unmarshal hex string without 0x prefix into Go value of type common.Address")
        #expect(reason(.address, #""0x9b1d35635cc34752ca54713bb99d38614f63c95z""#)
                == "-32602 invalid argument 0: json: cannot unmarshal invalid hex string into Go value of type common.Address")
        #expect(reason(.hash, #""0x00""#) == "-32602 invalid argument 0: hex string has length 2, want 64 for common.Hash")
        #expect(reason(.hash, "1") == "-32602 invalid argument 0: json: cannot unmarshal non-string into Go value of type common.Hash")
        #expect(reason(.bool, "true") == "ok true")
        #expect(reason(.bool, #""true""#) == "-32602 invalid argument 0: json: cannot unmarshal string into Go value of type bool")
        #expect(reason(.string, "1") == "-32602 invalid argument 0: json: cannot unmarshal number into Go value of type string")
        #expect(reason(.object("ethapi.TransactionArgs"), #""x""#) == "-32602 invalid argument 0: json: cannot unmarshal string into Go value of type ethapi.TransactionArgs")
    }

    @Test func blockParameters() {
        #expect(reason(.blockNumber, #""latest""#) == "ok latest")
        #expect(reason(.blockNumber, #""earliest""#) == "ok earliest")
        #expect(reason(.blockNumber, #""safe""#) == "ok safe")
        #expect(reason(.blockNumber, #""0x3e8""#) == "ok number(1000)")
        #expect(reason(.blockNumber, #""0x01""#) == "-32602 invalid argument 0: hex number with leading zero digits")
        #expect(reason(.blockNumber, #""""#) == "-32602 invalid argument 0: empty hex string")
        #expect(reason(.blockNumber, #""0x""#) == "-32602 invalid argument 0: hex string \"0x\"")
        #expect(reason(.blockNumber, #""Latest""#) == "-32602 invalid argument 0: hex string without 0x prefix")
        #expect(reason(.blockNumber, "5") == "-32602 invalid argument 0: hex string without 0x prefix")
        #expect(reason(.blockNumber, #""0x8000000000000000""#) == "-32602 invalid argument 0: block number larger than int64")
        #expect(reason(.blockNumber, #""0x10000000000000000""#) == "-32602 invalid argument 0: hex number > 64 bits")
        let h = "0x" + String(repeating: "ab", count: 32)
        #expect(reason(.blockNumberOrHash, "\"\(h)\"") == "ok hash(\([UInt8](repeating: 0xab, count: 32)), requireCanonical: false)")
        #expect(reason(.blockNumberOrHash, #""pending""#) == "ok tag(JSONRPC.BlockTag.pending)")
        #expect(reason(.blockNumberOrHash, #"{"blockNumber":"0x2"}"#) == "ok tag(JSONRPC.BlockTag.number(2))")
        #expect(reason(.blockNumberOrHash, "{\"blockHash\":\"\(h)\",\"requireCanonical\":true}").hasSuffix("requireCanonical: true)"))
        #expect(reason(.blockNumberOrHash, "{\"blockHash\":\"\(h)\",\"blockNumber\":\"0x1\"}")
                == "-32602 invalid argument 0: cannot specify both BlockHash and BlockNumber, choose one or the other")
        #expect(reason(.blockNumberOrHash, #""0x8000000000000000""#) == "-32602 invalid argument 0: blocknumber too high")
        #expect(reason(.blockNumberOrHash, "7") == "-32602 invalid argument 0: json: cannot unmarshal number into Go value of type string")
    }

    @Test func optionalArgumentsAndStructFields() throws {
        let p = RPCParams([.string("0x1"), .null])
        #expect(try p.optional(1, .blockNumber) ?? .latest == .latest)
        #expect(try p.optional(5, .blockNumber) == nil)
        #expect(try p.optional(0, .uint64) == 1)
        let tx = json(#"{"from":"0x9b1d35635cc34752ca54713bb99d38614f63c955","value":"1000"}"#)
        #expect(throws: RPCArgumentError("json: cannot unmarshal hex string without 0x prefix into Go struct field TransactionArgs.value of type *hexutil.Big")) {
            try RPCArgument<[UInt8]>.big.member("value", of: tx, goStruct: "TransactionArgs")
        }
        #expect(try RPCArgument<[UInt8]>.big.member("gas", of: tx, goStruct: "TransactionArgs") == nil)
        #expect(try RPCArgument<[UInt8]>.address.member("from", of: tx, goStruct: "TransactionArgs")?.count == 20)
    }
}
