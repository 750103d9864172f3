package io.cairn.engine.crypto;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JIT to compile the JDK's AES-GCM and SHA-256 paths early, on a background thread.
 *
 * <p>Why: HotSpot uses the CPU's AES-NI / carry-less-multiply / SHA instructions only in code its
 * optimizing compiler (C2) has compiled, and it compiles a method after some thousands of calls.
 * Calls are counted per message, so with large messages the GCM code stays interpreted for the
 * first several hundred megabytes of a backup (measured here: GHASH alone took half of the
 * backup's CPU). A few thousand segment-sized messages on a background thread reach the thresholds
 * while the password's Argon2 derivation runs anyway. The keys used here are throwaway constants
 * and nothing produced is kept.
 */
public final class CryptoWarmup {

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final int ROUNDS = 4_000;

    private CryptoWarmup() {
    }

    /** Starts the warm-up once per process; returns immediately. */
    public static void startInBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(CryptoWarmup::run, "cairn-crypto-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run() {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            Mac mac = Mac.getInstance("HmacSHA256");
            SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            byte[] in = new byte[Seal.SEGMENT_SIZE];
            byte[] out = new byte[in.length + 16];
            byte[] nonce = new byte[12];
            byte[] aad = new byte[24];
            for (int i = 0; i < ROUNDS; i++) {
                nonce[0] = (byte) i;
                nonce[1] = (byte) (i >>> 8);
                nonce[2] = (byte) (i >>> 16);
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                cipher.updateAAD(aad);
                cipher.doFinal(in, 0, in.length, out, 0);
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                cipher.updateAAD(aad);
                cipher.doFinal(out, 0, out.length, in, 0);
                mac.update(in);
                mac.doFinal();
            }
        } catch (GeneralSecurityException e) {
            // warm-up is an optimisation only; the real operations report their own errors
        }
    }
}
