#!/usr/bin/env python3
"""Independent test vectors for BlockchainTests/VectorTests.swift.

Re-implements Jeiwan's "Building Blockchain in Go" part 2 proof-of-work with
Python's hashlib only (no code shared with the Swift module):

  prepareData(nonce) = PrevBlockHash || Data || BE64(Timestamp) || BE64(targetBits) || BE64(nonce)
  target             = 1 << (256 - targetBits)
  valid              = int(sha256(prepareData), big-endian) < target      (strict)
  nonce loop         = 0, 1, 2, ... (first valid nonce wins)

and part 1 SetHash = sha256(PrevBlockHash || Data || ASCII-decimal(Timestamp)).

Run: python3 Tests/BlockchainTests/vectors.py
"""
import hashlib
import struct


def be64(v):
    return struct.pack(">q", v)


def prepare(prev, data, ts, bits, nonce):
    return prev + data + be64(ts) + be64(bits) + be64(nonce)


def mine(prev, data, ts, bits):
    target = 1 << (256 - bits)
    nonce = 0
    while True:
        h = hashlib.sha256(prepare(prev, data, ts, bits, nonce)).digest()
        if int.from_bytes(h, "big") < target:
            return nonce, h
        nonce += 1


GENESIS = b"Genesis Block"
TS0 = 1231006505

print("target(24) =", hex(1 << (256 - 24)), "bytes:", (1 << 232).to_bytes(32, "big").hex())
print("prepareData(genesis, nonce 0, bits 24) =", prepare(b"", GENESIS, TS0, 24, 0).hex())
print("sha256 of that =", hashlib.sha256(prepare(b"", GENESIS, TS0, 24, 0)).hexdigest())
for bits in (8, 12, 16):
    n, h = mine(b"", GENESIS, TS0, bits)
    print(f"genesis bits={bits}: nonce={n} hash={h.hex()}")
    if bits == 16:
        g16 = h
n, h = mine(g16, b"Send 1 BTC to Ivan", TS0 + 10, 16)
print(f"block1 (prev=genesis16, 'Send 1 BTC to Ivan', ts={TS0 + 10}, bits=16): nonce={n} hash={h.hex()}")
b1 = h
n, h = mine(b1, b"Send 2 more BTC to Ivan", TS0 + 20, 16)
print(f"block2 (prev=block1, 'Send 2 more BTC to Ivan', ts={TS0 + 20}, bits=16): nonce={n} hash={h.hex()}")
# part 1 SetHash (no PoW): timestamp as ASCII decimal
print("part1 genesis hash =", hashlib.sha256(b"" + GENESIS + str(TS0).encode()).hexdigest())
# Cross-check for the release-mode timing run (too slow for the debug test suite, not asserted there):
n, h = mine(b"", GENESIS, TS0, 20)
print(f"genesis bits=20: nonce={n} hash={h.hex()}")
