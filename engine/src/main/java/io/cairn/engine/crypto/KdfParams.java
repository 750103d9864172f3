package io.cairn.engine.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id parameters that turn a password into a key-wrapping key. Recorded in each key file, so
 * a repository opens whatever parameters it was created with.
 *
 * @param memoryKiB   memory cost in KiB
 * @param iterations  time cost (passes over memory)
 * @param parallelism lanes
 */
public record KdfParams(int memoryKiB, int iterations, int parallelism) {

    /**
     * The default: 19 MiB, 2 passes, 1 lane — one of OWASP's equivalent Argon2id configurations ("an equal
     * level of defense", trading memory for passes from 46 MiB / 1 pass down to 7 MiB / 5 passes; see
     * {@link #meetsOwaspMinimum()}). Every command pays it on opening the repository: here it takes ~0.15 s on a
     * cold JVM against ~0.25 s for 46 MiB / 1 pass, and leaves the heap ~30 MiB smaller (BouncyCastle keeps
     * the memory as 1 KiB blocks that the collector copies into the old generation). Repositories made with
     * other parameters keep them: they are recorded in each key file. docs/adr/0001, "Key derivation".
     */
    public static final KdfParams DEFAULT = new KdfParams(19 * 1024, 2, 1);

    /**
     * OWASP's Argon2id settings of "an equal level of defense" (password storage cheat sheet), as {memory KiB,
     * passes}, largest memory first. New keys must reach one of them in both memory and passes: this is the one
     * floor for every key Cairn writes ({@link #meetsOwaspMinimum()}).
     */
    private static final int[][] OWASP_SETTINGS = {
            {46 * 1024, 1}, {19 * 1024, 2}, {12 * 1024, 3}, {9 * 1024, 4}, {7 * 1024, 5}};

    /** The floor in words, for error messages: "46 MiB x 1, 19 MiB x 2, 12 MiB x 3, 9 MiB x 4 or 7 MiB x 5". */
    public static final String OWASP_SETTINGS_TEXT = Arrays.stream(OWASP_SETTINGS)
            .map(setting -> (setting[0] >> 10) + " MiB x " + setting[1])
            .collect(Collectors.joining(", ")).replaceFirst(", ([^,]*)$", " or $1");

    public KdfParams {
        if (memoryKiB < 8 || iterations < 1 || parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("invalid Argon2id parameters: m=" + memoryKiB + " KiB, t=" + iterations
                    + ", p=" + parallelism);
        }
    }

    /**
     * True if these parameters reach, in memory and in passes, at least one of OWASP's equivalent Argon2id settings
     * (46 MiB x 1, 19 MiB x 2, 12 MiB x 3, 9 MiB x 4, 7 MiB x 5). Lanes do not count: they add no work.
     */
    public boolean meetsOwaspMinimum() {
        for (int[] setting : OWASP_SETTINGS) {
            if (memoryKiB >= setting[0] && iterations >= setting[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fewest passes with which {@code memoryKiB} meets {@link #meetsOwaspMinimum()} (1 from 46 MiB, 2 from
     * 19 MiB, 3 from 12, 4 from 9, 5 from 7); empty below 7 MiB, which no number of passes makes acceptable.
     */
    public static OptionalInt fewestPassesFor(int memoryKiB) {
        for (int[] setting : OWASP_SETTINGS) {
            if (memoryKiB >= setting[0]) {
                return OptionalInt.of(setting[1]);
            }
        }
        return OptionalInt.empty();
    }

    /** Derives a 32-byte key from {@code password} and {@code salt} with Argon2id. */
    public byte[] derive(char[] password, byte[] salt) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[32];
        byte[] pw = new String(password).getBytes(StandardCharsets.UTF_8);
        generator.generateBytes(pw, out);
        Arrays.fill(pw, (byte) 0);
        return out;
    }
}
