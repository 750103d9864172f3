package io.cairn.cli;

import io.cairn.engine.crypto.KdfParams;
import picocli.CommandLine.Option;

/**
 * {@code --kdf-memory} and {@code --kdf-iterations} of the commands that write a key file ({@code init}, {@code key add},
 * {@code key passwd}): the default Argon2id parameters, or others that reach OWASP's minimum.
 */
final class KdfOptions {

    /** Argon2id runs in the command line's heap (2 GiB at most): room for the key derivation and the rest. */
    static final int MAX_MEMORY_MIB = 1024;
    static final int MAX_ITERATIONS = 10;

    @Option(names = "--kdf-memory", paramLabel = "MiB",
            description = "Argon2id memory of the password's key derivation, in MiB (default: 19; at most "
                    + MAX_MEMORY_MIB + "). Paid by every command that opens the repository.")
    Integer memoryMiB;

    @Option(names = "--kdf-iterations", paramLabel = "N",
            description = "Argon2id passes of the key derivation (default: the fewest that reach OWASP's minimum with "
                    + "the memory: 2 at 19 MiB, 1 from 46 MiB; at most " + MAX_ITERATIONS + ").")
    Integer iterations;

    /**
     * The default, or the parameters asked for; throws {@link IllegalArgumentException} when they reach none of
     * OWASP's settings ({@link KdfParams#meetsOwaspMinimum()}, the engine's one floor) or exceed this command's limits.
     */
    KdfParams params() {
        if (memoryMiB == null && iterations == null) {
            return KdfParams.DEFAULT;
        }
        int memory = memoryMiB == null ? KdfParams.DEFAULT.memoryKiB() >> 10 : memoryMiB;
        if (memory < 1 || memory > MAX_MEMORY_MIB || iterations != null && (iterations < 1 || iterations > MAX_ITERATIONS)) {
            throw refused(memory + " MiB" + (iterations == null ? "" : " x " + iterations));
        }
        int memoryKiB = memory << 10;
        Integer passes = iterations;
        if (passes == null) {
            passes = KdfParams.fewestPassesFor(memoryKiB).orElseThrow(() -> refused(memory + " MiB"));
        }
        KdfParams params = new KdfParams(memoryKiB, passes, 1);
        if (!params.meetsOwaspMinimum()) {
            throw refused(memory + " MiB x " + passes);
        }
        return params;
    }

    private static IllegalArgumentException refused(String got) {
        return new IllegalArgumentException("--kdf-memory (at most " + MAX_MEMORY_MIB + " MiB) and --kdf-iterations (1 to "
                + MAX_ITERATIONS + ") must together reach one of OWASP's Argon2id settings: " + KdfParams.OWASP_SETTINGS_TEXT
                + " (MiB x passes); got " + got);
    }
}
