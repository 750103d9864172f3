package io.cairn.engine.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sealed objects (repository-format.md §4): round trips at and around the segment size, and that
 * every kind of damage (a flipped bit anywhere, truncation, appended bytes, another place's aad,
 * another key) fails with {@link CorruptObjectException} instead of returning bytes.
 */
class SealTest {

    private static final int SEG = Seal.SEGMENT_SIZE;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] KEY = GoldenFormatFile.range(0x00, 32);
    private static final byte[] AAD = "cairn/v1/snapshots/0123".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, SEG - 1, SEG, SEG + 1, 2 * SEG, 3 * SEG + 7, 1 << 20})
    void roundTripsAndHasTheDocumentedLength(int length) {
        byte[] plain = randomBytes(length, length);
        byte[] sealed = Seal.seal(KEY, plain, AAD, RANDOM);

        int segments = Math.max(1, (length + SEG - 1) / SEG);
        assertThat(sealed).hasSize(1 + 32 + length + 16 * segments);
        assertThat(Seal.sealedLength(length)).isEqualTo(sealed.length);
        assertThat(Seal.plaintextLength(sealed.length)).isEqualTo(length);
        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(Seal.open(KEY, sealed, AAD, "object")).isEqualTo(plain);
    }

    @Test
    void sealsAndOpensASliceAtAnOffset() {
        byte[] plain = randomBytes(3 * SEG + 7, 5);
        byte[] sealed = Seal.seal(KEY, plain, 100, 2 * SEG, AAD, RANDOM);
        byte[] framed = new byte[sealed.length + 50];
        System.arraycopy(sealed, 0, framed, 20, sealed.length);

        assertThat(Seal.open(KEY, framed, 20, sealed.length, AAD, "object"))
                .isEqualTo(Arrays.copyOfRange(plain, 100, 100 + 2 * SEG));
    }

    @Test
    void sealIntoWritesExactlyTheSealedLengthAtTheOffset() {
        byte[] plain = randomBytes(SEG + 3, 6);
        byte[] out = new byte[Seal.sealedLength(plain.length) + 10];
        Arrays.fill(out, (byte) 0x5a);

        int n = Seal.sealInto(KEY, plain, 0, plain.length, AAD, RANDOM, out, 7);

        assertThat(n).isEqualTo(Seal.sealedLength(plain.length));
        assertThat(Arrays.copyOfRange(out, 0, 7)).containsOnly(0x5a);
        assertThat(Arrays.copyOfRange(out, 7 + n, out.length)).containsOnly(0x5a);
        assertThat(Seal.open(KEY, out, 7, n, AAD, "object")).isEqualTo(plain);
    }

    @Test
    void sealedAndPlaintextLengthsAreInversesAndImpossibleLengthsAreRejected() {
        for (int plain = 0; plain <= 4 * SEG + 40; plain++) {
            assertThat(Seal.plaintextLength(Seal.sealedLength(plain))).as("plaintext %d", plain).isEqualTo(plain);
        }
        for (int sealed = 0; sealed < 33 + 16; sealed++) {
            assertThat(Seal.plaintextLength(sealed)).as("sealed length %d", sealed).isEqualTo(-1);
        }
        // k full segments plus a 16-byte "segment" with no plaintext: no plaintext seals to that length
        for (int k = 1; k <= 4; k++) {
            int impossible = 33 + k * (SEG + 16) + 16;
            assertThat(Seal.plaintextLength(impossible)).as("sealed length %d", impossible).isEqualTo(-1);
        }
        // and every length that sealedLength produces maps back; nothing else in range does
        int produced = 0;
        for (int sealed = 0; sealed <= Seal.sealedLength(3 * SEG); sealed++) {
            int plain = Seal.plaintextLength(sealed);
            if (plain >= 0) {
                assertThat(Seal.sealedLength(plain)).as("sealed length %d", sealed).isEqualTo(sealed);
                produced++;
            }
        }
        assertThat(produced).isEqualTo(3 * SEG + 1);
    }

    @Test
    void everySingleBitFlipOfASmallObjectFailsAuthentication() {
        byte[] plain = "a small object: {\"tree\":\"0123abcd\"}".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = Seal.seal(KEY, plain, AAD, RANDOM);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] damaged = sealed.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            int flipped = bit;
            assertThatThrownBy(() -> Seal.open(KEY, damaged, AAD, "object"))
                    .as("bit %d flipped", flipped)
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("object");
        }
    }

    @Test
    void aFlippedBitInAnySegmentOfALargeObjectFailsAuthentication() {
        byte[] plain = randomBytes(3 * SEG + 7, 9);
        byte[] sealed = Seal.seal(KEY, plain, AAD, RANDOM);
        int[] positions = {0, 1, 32, 33, 33 + SEG, 33 + SEG + 15, 33 + SEG + 16, 33 + 2 * (SEG + 16) + 100,
            33 + 3 * (SEG + 16), 33 + 3 * (SEG + 16) + 6, sealed.length - 1};
        for (int pos : positions) {
            for (int bit : new int[] {0, 7}) {
                byte[] damaged = sealed.clone();
                damaged[pos] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> Seal.open(KEY, damaged, AAD, "object"))
                        .as("byte %d bit %d", pos, bit)
                        .isInstanceOf(CorruptObjectException.class);
            }
        }
    }

    @Test
    void truncationAtEverySegmentBoundaryAndInsideSegmentsFails() {
        for (int length : new int[] {3 * SEG + 7, 3 * SEG}) {
            byte[] sealed = Seal.seal(KEY, randomBytes(length, length), AAD, RANDOM);
            for (int k = 0; k <= 3; k++) {
                int boundary = 33 + k * (SEG + 16);
                for (int cut : new int[] {boundary - 1, boundary, boundary + 1, boundary + 16, boundary + SEG / 2}) {
                    if (cut >= 0 && cut < sealed.length) {
                        byte[] truncated = Arrays.copyOf(sealed, cut);
                        assertThatThrownBy(() -> Seal.open(KEY, truncated, AAD, "object"))
                                .as("%d-byte plaintext cut to %d bytes", length, cut)
                                .isInstanceOf(CorruptObjectException.class);
                    }
                }
            }
            byte[] oneShort = Arrays.copyOf(sealed, sealed.length - 1);
            assertThatThrownBy(() -> Seal.open(KEY, oneShort, AAD, "object")).isInstanceOf(CorruptObjectException.class);
        }
    }

    @Test
    void droppingTheLastWholeSegmentIsDetected() {
        // 2 full segments: without the last-segment flag, the first segment alone would look complete
        byte[] sealed = Seal.seal(KEY, randomBytes(2 * SEG, 3), AAD, RANDOM);
        byte[] firstOnly = Arrays.copyOf(sealed, 33 + SEG + 16);
        assertThat(Seal.plaintextLength(firstOnly.length)).isEqualTo(SEG);
        assertThatThrownBy(() -> Seal.open(KEY, firstOnly, AAD, "object")).isInstanceOf(CorruptObjectException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, SEG, 2 * SEG, 2 * SEG + 5})
    void appendedBytesAreDetected(int length) {
        byte[] sealed = Seal.seal(KEY, randomBytes(length, 11), AAD, RANDOM);
        for (int extra = 1; extra <= 40; extra++) {
            byte[] longer = Arrays.copyOf(sealed, sealed.length + extra);
            int appended = extra;
            assertThatThrownBy(() -> Seal.open(KEY, longer, AAD, "object"))
                    .as("%d bytes appended to a sealed %d-byte plaintext", appended, length)
                    .isInstanceOf(CorruptObjectException.class);
        }
    }

    @Test
    void anotherPlaceOrAnotherKeyFailsAuthentication() {
        byte[] plain = randomBytes(SEG + 1, 12);
        byte[] sealed = Seal.seal(KEY, plain, AAD, RANDOM);
        byte[] otherAad = "cairn/v1/snapshots/0124".getBytes(StandardCharsets.US_ASCII);
        byte[] otherKey = KEY.clone();
        otherKey[31] ^= 1;

        assertThatThrownBy(() -> Seal.open(KEY, sealed, otherAad, "snapshot 0124"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("snapshot 0124")
                .hasMessageContaining("failed authentication");
        assertThatThrownBy(() -> Seal.open(KEY, sealed, new byte[0], "object")).isInstanceOf(CorruptObjectException.class);
        assertThatThrownBy(() -> Seal.open(otherKey, sealed, AAD, "object")).isInstanceOf(CorruptObjectException.class);
    }

    @Test
    void anUnknownVersionByteIsNamedInTheError() {
        byte[] sealed = Seal.seal(KEY, new byte[10], AAD, RANDOM);
        sealed[0] = 2;
        assertThatThrownBy(() -> Seal.open(KEY, sealed, AAD, "config"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("config")
                .hasMessageContaining("version 2");
    }

    @Test
    void twoSealsOfTheSamePlaintextDifferInSaltAndCiphertext() {
        byte[] plain = randomBytes(100, 13);
        byte[] a = Seal.seal(KEY, plain, AAD, RANDOM);
        byte[] b = Seal.seal(KEY, plain, AAD, RANDOM);

        assertThat(Arrays.copyOfRange(a, 1, 33)).isNotEqualTo(Arrays.copyOfRange(b, 1, 33));
        assertThat(Arrays.copyOfRange(a, 33, a.length)).isNotEqualTo(Arrays.copyOfRange(b, 33, b.length));
        assertThat(Seal.open(KEY, a, AAD, "a")).isEqualTo(Seal.open(KEY, b, AAD, "b"));
    }

    @Test
    void theSaltComesFromTheGivenRandomAndDeterminesTheCiphertext() {
        byte[] plain = randomBytes(100, 14);
        CounterRandom.forgetLastGcmKey();
        byte[] a = Seal.seal(KEY, plain, AAD, new CounterRandom(7));
        CounterRandom.forgetLastGcmKey();
        byte[] b = Seal.seal(KEY, plain, AAD, new CounterRandom(7));

        assertThat(Arrays.copyOfRange(a, 1, 33)).isEqualTo(GoldenFormatFile.range(7, 32));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void masterKeySealsWithItsEncryptionKeyAndRoundTripsThroughItsBytes() {
        MasterKey key = MasterKey.generate(RANDOM);
        byte[] plain = randomBytes(SEG * 2 + 1, 15);
        byte[] sealed = key.seal(plain, AAD, RANDOM);

        MasterKey copy = MasterKey.fromBytes(key.toBytes());
        assertThat(copy.open(sealed, AAD, "object")).isEqualTo(plain);
        assertThat(Seal.open(Arrays.copyOf(key.toBytes(), 32), sealed, AAD, "object")).isEqualTo(plain);
        assertThat(copy.blobId(plain, 0, plain.length)).isEqualTo(key.blobId(plain, 0, plain.length));
        assertThatThrownBy(() -> MasterKey.generate(RANDOM).open(sealed, AAD, "object"))
                .isInstanceOf(CorruptObjectException.class);
    }

    @Test
    void masterKeyRejectsWrongLengths() {
        assertThatThrownBy(() -> MasterKey.fromBytes(new byte[63]))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("63");
        assertThatThrownBy(() -> new MasterKey(new byte[31], new byte[32])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blobIdIsAKeyedHashOfTheSlice() {
        MasterKey a = new MasterKey(GoldenFormatFile.range(0, 32), GoldenFormatFile.range(32, 32));
        MasterKey b = new MasterKey(GoldenFormatFile.range(0, 32), GoldenFormatFile.range(33, 32));
        byte[] data = randomBytes(1000, 16);
        byte[] framed = new byte[1010];
        System.arraycopy(data, 0, framed, 5, 1000);

        assertThat(a.blobId(framed, 5, 1000)).isEqualTo(a.blobId(data, 0, 1000)).hasSize(32);
        assertThat(b.blobId(data, 0, 1000)).isNotEqualTo(a.blobId(data, 0, 1000));
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] out = new byte[length];
        new Random(seed).nextBytes(out);
        return out;
    }
}
