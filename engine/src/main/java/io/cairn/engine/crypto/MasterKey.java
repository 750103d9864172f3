package io.cairn.engine.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A repository's secret: a 32-byte encryption key (input to {@link Seal}'s per-object key
 * derivation) and a 32-byte id key for blob ids, {@code id = HMAC-SHA256(idKey, plaintext)}.
 * Keyed ids mean whoever holds the storage cannot test whether a known file is in the repository.
 */
public final class MasterKey {

    public static final int KEY_LENGTH = 32;

    private final byte[] encryptionKey;
    private final byte[] idKey;
    private final ThreadLocal<Mac> idMac;

    public MasterKey(byte[] encryptionKey, byte[] idKey) {
        if (encryptionKey.length != KEY_LENGTH || idKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("master keys are 32 bytes each");
        }
        this.encryptionKey = encryptionKey.clone();
        this.idKey = idKey.clone();
        this.idMac = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(this.idKey, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    public static MasterKey generate(SecureRandom random) {
        byte[] enc = new byte[KEY_LENGTH];
        byte[] id = new byte[KEY_LENGTH];
        random.nextBytes(enc);
        random.nextBytes(id);
        return new MasterKey(enc, id);
    }

    /** The keyed id of {@code data[off, off+len)}. Thread-safe. */
    public byte[] blobId(byte[] data, int off, int len) {
        Mac mac = idMac.get();
        mac.update(data, off, len);
        return mac.doFinal();
    }

    public byte[] seal(byte[] plaintext, byte[] aad, SecureRandom random) {
        return Seal.seal(encryptionKey, plaintext, 0, plaintext.length, aad, random);
    }

    public byte[] seal(byte[] plaintext, int off, int len, byte[] aad, SecureRandom random) {
        return Seal.seal(encryptionKey, plaintext, off, len, aad, random);
    }

    /** Seals into a caller's buffer; see {@link Seal#sealInto}. */
    public int sealInto(byte[] plaintext, int off, int len, byte[] aad, SecureRandom random, byte[] out, int outOff) {
        return Seal.sealInto(encryptionKey, plaintext, off, len, aad, random, out, outOff);
    }

    public byte[] open(byte[] sealed, int off, int len, byte[] aad, String what) {
        return Seal.open(encryptionKey, sealed, off, len, aad, what);
    }

    /** Opens into a caller's buffer; see {@link Seal#openInto}. */
    public int openInto(byte[] sealed, int off, int len, byte[] aad, String what, byte[] out, int outOff) {
        return Seal.openInto(encryptionKey, sealed, off, len, aad, what, out, outOff);
    }

    public byte[] open(byte[] sealed, byte[] aad, String what) {
        return Seal.open(encryptionKey, sealed, 0, sealed.length, aad, what);
    }

    /** The two keys concatenated (64 bytes), for wrapping in a key file. */
    public byte[] toBytes() {
        byte[] out = Arrays.copyOf(encryptionKey, 2 * KEY_LENGTH);
        System.arraycopy(idKey, 0, out, KEY_LENGTH, KEY_LENGTH);
        return out;
    }

    public static MasterKey fromBytes(byte[] bytes) {
        if (bytes.length != 2 * KEY_LENGTH) {
            throw new CorruptObjectException("master key has " + bytes.length + " bytes, expected 64");
        }
        return new MasterKey(Arrays.copyOfRange(bytes, 0, KEY_LENGTH), Arrays.copyOfRange(bytes, KEY_LENGTH, 2 * KEY_LENGTH));
    }
}
