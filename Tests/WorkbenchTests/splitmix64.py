# An independent transcription of splitmix64.c (Sebastiano Vigna, public domain,
# https://prng.di.unimi.it/splitmix64.c), used to derive SimKitTests' vectors.
M = (1 << 64) - 1
def splitmix64(state):
    while True:
        state = (state + 0x9E3779B97F4A7C15) & M
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        yield z ^ (z >> 31)
g = splitmix64(0)
print([hex(next(g)) for _ in range(3)])
