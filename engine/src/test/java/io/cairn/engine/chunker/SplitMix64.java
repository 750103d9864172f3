package io.cairn.engine.chunker;

/**
 * The deterministic test-input generator named in the golden vectors, simple enough to rebuild in
 * any language: SplitMix64 (Steele, Lea, Flood 2014). State starts at the seed; each step adds
 * {@code 0x9e3779b97f4a7c15} to the state and mixes it:
 *
 * <pre>
 *   z = state += 0x9e3779b97f4a7c15
 *   z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9
 *   z = (z ^ (z >>> 27)) * 0x94d049bb133111eb
 *   return z ^ (z >>> 31)
 * </pre>
 *
 * (64-bit wrapping arithmetic, {@code >>>} a logical shift). {@link #bytes} writes each output as 8
 * bytes, least significant first, and truncates the last output to fit. For seed 42 the first output
 * is {@code 0xbdd732262feb6e95}, so the first bytes are {@code 95 6e eb 2f 26 32 d7 bd}.
 */
final class SplitMix64 {

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = state += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** {@code length} bytes from a fresh generator seeded with {@code seed}. */
    static byte[] bytes(long seed, int length) {
        SplitMix64 random = new SplitMix64(seed);
        byte[] out = new byte[length];
        int i = 0;
        while (i < length) {
            long v = random.nextLong();
            for (int k = 0; k < Long.BYTES && i < length; k++, i++) {
                out[i] = (byte) (v >>> (8 * k));
            }
        }
        return out;
    }
}
