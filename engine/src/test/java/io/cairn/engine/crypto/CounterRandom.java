package io.cairn.engine.crypto;

import java.security.SecureRandom;

/**
 * A deterministic stand-in for {@link SecureRandom}, for golden vectors only: the n-th byte it hands
 * out (n = 0, 1, ...) is {@code (start + n) mod 256}, whatever the sizes of the requests. Every other
 * method of {@link SecureRandom} draws through {@link #nextBytes}, so it follows the same stream.
 * Never use it outside tests: it makes every "random" salt and id predictable.
 *
 * <p>Repeating a salt repeats the object key, and the JDK's AES-GCM refuses to encrypt twice in a
 * row with the same key and nonce on one thread's cipher ("Cannot reuse iv for GCM encryption"), a
 * guard that random salts never trip. Tests that seal the same thing twice call
 * {@link #forgetLastGcmKey()} before each seal.
 */
public final class CounterRandom extends SecureRandom {

    private static final long serialVersionUID = 1L;
    private int next;

    public CounterRandom(int start) {
        this.next = start & 0xff;
    }

    /** Seals a throwaway object under a random key, so this thread's cipher no longer remembers the last key. */
    public static void forgetLastGcmKey() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        Seal.seal(key, new byte[0], new byte[0], random);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) next;
            next = (next + 1) & 0xff;
        }
    }

    @Override
    public void setSeed(long seed) {
        // the stream is fixed; SecureRandom's constructor calls this, so it must be harmless
    }

    @Override
    public void setSeed(byte[] seed) {
        // the stream is fixed
    }
}
