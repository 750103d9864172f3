package io.cairn.engine.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins sealing, per-object key derivation and blob ids to the golden vectors in
 * {@code src/test/resources/golden/format/}, which an independent implementation of the
 * specification ({@code generate_vectors.py}) wrote. A failure here means Cairn no longer writes (or
 * reads) repository format version 1: fix the code, never the vector.
 *
 * <p>Every vector uses the master key 00..1f (encryption) / 20..3f (id) and draws its salts from a
 * {@link CounterRandom} whose start the file states.
 */
class SealGoldenTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @ValueSource(strings = {"seal-empty.txt", "seal-short.txt", "seal-one-full-segment.txt", "seal-three-segments.txt"})
    void sealProducesAndOpensTheGoldenBytes(String name) throws Exception {
        GoldenFormatFile golden = GoldenFormatFile.load(name);
        byte[] key = golden.hex("encryption-key");
        byte[] plaintext = GoldenFormatFile.describedBytes(golden.value("plaintext"));
        byte[] aad = golden.value("aad").getBytes(StandardCharsets.US_ASCII);
        byte[] expected = golden.hex("sealed");
        assertThat(plaintext).hasSize(golden.integer("plaintext-length"));
        assertThat(expected).hasSize(golden.integer("sealed-length"));
        assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(expected)))
                .isEqualTo(golden.value("sealed-sha256"));

        CounterRandom.forgetLastGcmKey();
        byte[] sealed = Seal.seal(key, plaintext, aad, new CounterRandom(golden.integer("random-start")));

        assertThat(HEX.formatHex(sealed)).isEqualTo(golden.value("sealed"));
        assertThat(Seal.open(key, expected, aad, name)).isEqualTo(plaintext);
        assertThat(Seal.objectKey(key, golden.hex("salt")).getEncoded()).isEqualTo(golden.hex("object-key"));
        assertThat(GoldenFormatFile.MASTER_KEY.open(expected, aad, name)).isEqualTo(plaintext);
    }

    @Test
    void objectKeysMatchTheGoldenHkdfVectors() {
        List<String> vectors = GoldenFormatFile.load("hkdf-object-key.txt").values("vector");
        assertThat(vectors).hasSize(4);
        for (String vector : vectors) {
            String[] f = vector.split(" ");
            byte[] ikm = HEX.parseHex(f[1]);
            byte[] salt = HEX.parseHex(f[3]);
            assertThat(HEX.formatHex(Seal.objectKey(ikm, salt).getEncoded())).as(vector).isEqualTo(f[5]);
            assertThat(HEX.formatHex(bouncyCastleHkdf(ikm, salt, "cairn-v1 object key".getBytes(StandardCharsets.US_ASCII),
                    32))).as("BouncyCastle HKDF of " + vector).isEqualTo(f[5]);
        }
    }

    /** RFC 5869 test case 1 (first 32 bytes of OKM): the independent HKDF above is a real HKDF. */
    @Test
    void bouncyCastleHkdfReproducesRfc5869TestCase1() {
        byte[] ikm = new byte[22];
        java.util.Arrays.fill(ikm, (byte) 0x0b);
        byte[] okm = bouncyCastleHkdf(ikm, HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertThat(HEX.formatHex(okm)).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void blobIdsMatchTheGoldenHmacVectors() {
        GoldenFormatFile golden = GoldenFormatFile.load("blob-id.txt");
        assertThat(golden.hex("id-key")).isEqualTo(GoldenFormatFile.range(0x20, 32));
        List<String> vectors = golden.values("vector");
        assertThat(vectors).hasSize(4);
        for (String vector : vectors) {
            String[] f = vector.split(" ");
            byte[] data = GoldenFormatFile.describedBytes(f[1]);
            assertThat(HEX.formatHex(GoldenFormatFile.MASTER_KEY.blobId(data, 0, data.length))).as(vector).isEqualTo(f[3]);
        }
    }

    private static byte[] bouncyCastleHkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
