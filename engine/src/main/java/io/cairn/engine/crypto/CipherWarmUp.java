package io.cairn.engine.crypto;

import java.security.SecureRandom;

/**
 * Gets the JDK's AES-GCM to its compiled, hardware-accelerated form sooner. HotSpot uses the AES and carry-less
 * multiply instructions only in code its C2 compiler made, and makes that after thousands of calls; until then a
 * restore decrypts at a fraction of the speed. A command that is about to decrypt a lot (a restore) starts this on
 * a spare core while the password's key derivation keeps the other busy: it seals and opens a few thousand small
 * throwaway messages under a throwaway key (~6 MB, well under a second of CPU), so that the compiler has the
 * decryption path in hand 0.15-0.45 s earlier. A backup does not: both of its cores are busy from the start
 * (docs/adr/0003).
 */
public final class CipherWarmUp {

    private static final int MESSAGES = 3_000;
    private static final int MESSAGE_SIZE = 1024;

    private CipherWarmUp() {
    }

    /**
     * Starts the warm-up on a daemon thread if the machine has a second core and the JDK's AES-GCM is the one in
     * charge (native crypto, {@link NativeCrypto}, needs no warming); returns at once.
     */
    public static void startInBackground() {
        if (Runtime.getRuntime().availableProcessors() < 2 || NativeCrypto.inCharge()) {
            return;
        }
        Thread thread = new Thread(CipherWarmUp::run, "cairn-cipher-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    static void run() {
        SecureRandom random = new SecureRandom();
        MasterKey key = MasterKey.generate(random);
        byte[] plaintext = new byte[MESSAGE_SIZE];
        byte[] opened = new byte[MESSAGE_SIZE];
        byte[] aad = {1, 2, 3, 4};
        for (int i = 0; i < MESSAGES; i++) {
            byte[] sealed = key.seal(plaintext, aad, random);
            key.openInto(sealed, 0, sealed.length, aad, "warm-up message", opened, 0);
        }
    }
}
