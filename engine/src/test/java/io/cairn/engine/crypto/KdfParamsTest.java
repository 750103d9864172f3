package io.cairn.engine.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Argon2id password derivation (repository-format.md §6) against published known answers.
 *
 * <p>RFC 9106 §5.3's Argon2id vector uses a secret and associated data, which key files do not; it
 * is reproduced here with BouncyCastle configured exactly as {@link KdfParams#derive} configures it
 * (Argon2id, version 0x13, 32-byte output) plus those two inputs. {@link KdfParams#derive} itself is
 * checked against the Argon2 reference implementation's own Argon2id v0x13 vectors
 * ({@code src/test.c} of P-H-C/phc-winner-argon2: password "password", salt "somesalt", no secret, no
 * associated data — exactly the key-file setting).
 */
class KdfParamsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void bouncyCastleArgon2idReproducesRfc9106Section53() {
        byte[] password = filled(32, 0x01);
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(32)
                .withIterations(3)
                .withParallelism(4)
                .withSalt(filled(16, 0x02))
                .withSecret(filled(8, 0x03))
                .withAdditional(filled(12, 0x04))
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] tag = new byte[32];
        generator.generateBytes(password, tag);
        assertThat(HEX.formatHex(tag)).isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @ParameterizedTest(name = "m={0} KiB t={1} p={2}")
    @CsvSource({
        "256,   2, 1, 9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe",
        "256,   2, 2, 6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037",
        "65536, 2, 1, 09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7",
    })
    void deriveMatchesTheReferenceImplementationVectors(int memoryKiB, int iterations, int parallelism, String expected) {
        byte[] key = new KdfParams(memoryKiB, iterations, parallelism)
                .derive("password".toCharArray(), "somesalt".getBytes(StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(key)).isEqualTo(expected);
    }

    @Test
    void passwordsAreEncodedAsUtf8() {
        KdfParams params = new KdfParams(64, 1, 1);
        byte[] salt = filled(32, 0x07);
        byte[] fromChars = params.derive("pässwörd €".toCharArray(), salt);

        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(64).withIterations(1)
                .withParallelism(1).withSalt(salt).build());
        byte[] fromUtf8 = new byte[32];
        generator.generateBytes("pässwörd €".getBytes(StandardCharsets.UTF_8), fromUtf8);

        assertThat(fromChars).isEqualTo(fromUtf8);
        assertThat(params.derive("passwörd €".toCharArray(), salt)).isNotEqualTo(fromChars);
        assertThat(params.derive("pässwörd €".toCharArray(), filled(32, 0x08))).isNotEqualTo(fromChars);
    }

    @Test
    void defaultIsAnOwaspRecommendedConfiguration() {
        // OWASP lists equivalent Argon2id settings from 46 MiB / 1 pass down to 7 MiB / 5 passes; the default
        // is the 19 MiB / 2 passes one
        assertThat(KdfParams.DEFAULT).isEqualTo(new KdfParams(19 * 1024, 2, 1));
        assertThat(KdfParams.DEFAULT.meetsOwaspMinimum()).isTrue();
    }

    @Test
    void theFloorIsReachingOneOfOwaspsSettingsInMemoryAndPasses() {
        int mib = 1024;
        assertThat(new KdfParams(46 * mib, 1, 1).meetsOwaspMinimum()).isTrue();
        assertThat(new KdfParams(19 * mib, 2, 1).meetsOwaspMinimum()).isTrue();
        assertThat(new KdfParams(12 * mib, 3, 1).meetsOwaspMinimum()).isTrue();
        assertThat(new KdfParams(9 * mib, 4, 1).meetsOwaspMinimum()).isTrue();
        assertThat(new KdfParams(7 * mib, 5, 1).meetsOwaspMinimum()).isTrue();
        assertThat(new KdfParams(64 * mib, 3, 4).meetsOwaspMinimum()).isTrue();

        assertThat(new KdfParams(46 * mib - 1, 1, 1).meetsOwaspMinimum()).as("20 MiB x 1 is not 46 x 1").isFalse();
        assertThat(new KdfParams(19 * mib - 1, 2, 1).meetsOwaspMinimum()).isFalse();
        assertThat(new KdfParams(12 * mib, 2, 1).meetsOwaspMinimum()).isFalse();
        assertThat(new KdfParams(7 * mib - 1, 10, 1).meetsOwaspMinimum()).as("below 7 MiB no pass count helps").isFalse();
        assertThat(new KdfParams(19 * mib, 1, 4).meetsOwaspMinimum()).as("lanes add no work").isFalse();
        assertThat(KdfParams.OWASP_SETTINGS_TEXT).isEqualTo("46 MiB x 1, 19 MiB x 2, 12 MiB x 3, 9 MiB x 4 or 7 MiB x 5");
    }

    @Test
    void fewestPassesForAMemoryAreThoseOfTheOwaspSettingItReaches() {
        int mib = 1024;
        assertThat(KdfParams.fewestPassesFor(1024 * mib)).hasValue(1);
        assertThat(KdfParams.fewestPassesFor(46 * mib)).hasValue(1);
        assertThat(KdfParams.fewestPassesFor(32 * mib)).hasValue(2);
        assertThat(KdfParams.fewestPassesFor(19 * mib)).hasValue(KdfParams.DEFAULT.iterations());
        assertThat(KdfParams.fewestPassesFor(12 * mib)).hasValue(3);
        assertThat(KdfParams.fewestPassesFor(9 * mib)).hasValue(4);
        assertThat(KdfParams.fewestPassesFor(7 * mib)).hasValue(5);
        assertThat(KdfParams.fewestPassesFor(7 * mib - 1)).isEmpty();
        for (int memory = 7 * mib; memory <= 64 * mib; memory += 512) {
            int passes = KdfParams.fewestPassesFor(memory).orElseThrow();
            assertThat(new KdfParams(memory, passes, 1).meetsOwaspMinimum()).isTrue();
            if (passes > 1) {
                assertThat(new KdfParams(memory, passes - 1, 1).meetsOwaspMinimum()).as("%d KiB", memory).isFalse();
            }
        }
    }

    @Test
    void rejectsParametersArgon2CannotRun() {
        assertThatThrownBy(() -> new KdfParams(7, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m=7");
        assertThatThrownBy(() -> new KdfParams(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KdfParams(64, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KdfParams(1024, 1, 17)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }
}
