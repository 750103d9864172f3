package io.cairn.server.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secrets with AES-256-GCM under the server's secret key. A sealed value is the
 * text {@code v1:<base64(nonce ‖ ciphertext ‖ tag)>}; the nonce is 12 random bytes, and the
 * {@code purpose} (for example {@code repository-password:3}) is bound in as associated data, so a
 * sealed value copied to another row does not open there.
 */
public final class SecretBox {

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final byte[] checkValue;
    private final SecureRandom random;

    public SecretBox(byte[] key, SecureRandom random) {
        if (key.length != SecretKeySource.KEY_BYTES) {
            throw new IllegalArgumentException("the secret key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
        this.checkValue = hmac(key, "cairn secret key check v1");
    }

    /** Seals {@code plaintext} for {@code purpose}. */
    public String seal(String plaintext, String purpose) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** Opens a value sealed for {@code purpose}; fails if it was sealed under another key or purpose. */
    public String open(String sealed, String purpose) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new SecretKeyUnavailableException("a sealed secret for " + purpose + " has an unknown format");
        }
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretKeyUnavailableException("the secret for " + purpose + " does not open with this server's "
                    + "secret key: the key file or CAIRN_SECRET_KEY is not the one it was sealed with", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * An HMAC-SHA256 of {@code message} under a key derived from the secret key for {@code purpose}
     * (for example {@code download-link}), for values the server signs and later checks: a signature
     * made for one purpose never verifies for another, and the secret key itself never signs anything.
     */
    public byte[] mac(String purpose, byte[] message) {
        byte[] derived = hmac(key.getEncoded(), "cairn mac key v1:" + purpose);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(derived, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /** A value that identifies the key without revealing it (HMAC of a constant), stored in the database. */
    public String checkValue() {
        return Base64.getEncoder().encodeToString(checkValue);
    }

    /** Whether {@code stored} is this key's check value. */
    public boolean matches(String stored) {
        return MessageDigest.isEqual(checkValue, Base64.getDecoder().decode(stored));
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }
}
