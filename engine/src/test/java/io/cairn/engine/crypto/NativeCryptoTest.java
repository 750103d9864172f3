package io.cairn.engine.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Native crypto (AWS-LC through the Amazon Corretto Crypto Provider, docs/adr/0016) against the JDK's providers,
 * each asked for by name, so that neither depends on which one the run installed: the same AES-GCM bytes and tags,
 * each opening what the other sealed, the same HMAC-SHA256 and SHA-256, and a changed byte refused with the
 * exception {@link Seal} turns into "failed authentication".
 */
class NativeCryptoTest {

    private static final Provider NATIVE = AmazonCorrettoCryptoProvider.INSTANCE;
    private static final Provider JDK = Security.getProvider("SunJCE");
    private static final Provider JDK_DIGESTS = Security.getProvider("SUN");

    @Test
    void theNativeLibraryLoadsOnThisMachine() {
        assertThat(NATIVE.getClass()).isEqualTo(AmazonCorrettoCryptoProvider.class);
        assertThat(AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError()).isNull();
    }

    @Test
    void theTestRunHasTheCryptoItAskedFor() {
        boolean wantsNative = "native".equals(System.getProperty("cairn.test.crypto"));
        assertThat(NativeCrypto.inCharge()).isEqualTo(wantsNative);
        if (wantsNative) {
            assertThat(NativeCrypto.status().active()).isTrue();
            assertThat(NativeCrypto.status().description()).startsWith("AWS-LC ");
            assertThat(NativeCrypto.install()).isSameAs(NativeCrypto.status());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 1000, Seal.SEGMENT_SIZE - 1, Seal.SEGMENT_SIZE, 100_003})
    void aesGcmGivesTheSameBytesAndEachOpensTheOthers(int length) throws Exception {
        byte[] key = bytes(32, length + 1);
        byte[] nonce = bytes(12, length + 2);
        byte[] aad = bytes(23, length + 3);
        byte[] plain = bytes(length, length + 4);

        byte[] byNative = gcm(NATIVE, Cipher.ENCRYPT_MODE, key, nonce, aad, plain);
        byte[] byJdk = gcm(JDK, Cipher.ENCRYPT_MODE, key, nonce, aad, plain);

        assertThat(byNative).hasSize(length + 16).isEqualTo(byJdk);
        assertThat(gcm(JDK, Cipher.DECRYPT_MODE, key, nonce, aad, byNative)).isEqualTo(plain);
        assertThat(gcm(NATIVE, Cipher.DECRYPT_MODE, key, nonce, aad, byJdk)).isEqualTo(plain);
    }

    @Test
    void aChangedByteOrAnotherAadIsRefusedAsAWrongTag() throws Exception {
        byte[] key = bytes(32, 7);
        byte[] nonce = bytes(12, 8);
        byte[] aad = bytes(16, 9);
        byte[] sealed = gcm(NATIVE, Cipher.ENCRYPT_MODE, key, nonce, aad, bytes(5000, 10));
        for (int i : new int[] {0, 2500, sealed.length - 1}) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            assertThatThrownBy(() -> gcm(NATIVE, Cipher.DECRYPT_MODE, key, nonce, aad, changed))
                    .isInstanceOf(AEADBadTagException.class);
        }
        byte[] otherAad = aad.clone();
        otherAad[0] ^= 1;
        assertThatThrownBy(() -> gcm(NATIVE, Cipher.DECRYPT_MODE, key, nonce, otherAad, sealed))
                .isInstanceOf(AEADBadTagException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 63, 64, 65, 1 << 20})
    void hmacAndSha256GiveTheSameValues(int length) throws Exception {
        byte[] data = bytes(length, length + 11);
        byte[] key = bytes(32, length + 12);
        Mac nativeMac = Mac.getInstance("HmacSHA256", NATIVE);
        Mac jdkMac = Mac.getInstance("HmacSHA256", JDK);
        nativeMac.init(new SecretKeySpec(key, "HmacSHA256"));
        jdkMac.init(new SecretKeySpec(key, "HmacSHA256"));
        // the engine hashes a slice of a larger buffer
        nativeMac.update(data, 0, length);
        assertThat(nativeMac.doFinal()).isEqualTo(jdkMac.doFinal(data));
        assertThat(MessageDigest.getInstance("SHA-256", NATIVE).digest(data))
                .isEqualTo(MessageDigest.getInstance("SHA-256", JDK_DIGESTS).digest(data));
    }

    private static byte[] gcm(Provider provider, int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input)
            throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        int n = cipher.doFinal(input, 0, input.length, out, 0);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
