package io.cairn.cli;

import io.cairn.engine.crypto.KdfParams;
import picocli.CommandLine.Option;

/**
 * {@code --kdf-memory} and {@code --kdf-iterations} of the commands that write a key file ({@code init}, {@code key add},
 * {@code key passwd}): the default Argon2id parameters, or stronger ones; nothing below OWASP's minimum.
 */
final class KdfOptions {

    /** Argon2id runs in the command line's heap (2 GiB at most): room for the key derivation and the rest. */
    static final int MAX_MEMORY_MIB = 1024;
    static final int MAX_ITERATIONS = 10;

    @Option(names = "--kdf-memory", paramLabel = "MiB",
            description = "Argon2id memory of the password's key derivation, in MiB (default: 19; at least 19, at most "
                    + MAX_MEMORY_MIB + "). Paid by every command that opens the repository.")
    Integer memoryMiB;

    @Option(names = "--kdf-iterations", paramLabel = "N",
            description = "Argon2id passes of the key derivation (default: 2 at 19 MiB, 1 with a larger --kdf-memory; "
                    + "at most " + MAX_ITERATIONS + ").")
    Integer iterations;

    /** The default, or the parameters asked for; throws {@link IllegalArgumentException} below the minimum. */
    KdfParams params() {
        if (memoryMiB == null && iterations == null) {
            return KdfParams.DEFAULT;
        }
        int defaultMemory = KdfParams.DEFAULT.memoryKiB() >> 10;
        int memory = memoryMiB == null ? defaultMemory : memoryMiB;
        int passes = iterations != null ? iterations : memory > defaultMemory ? 1 : KdfParams.DEFAULT.iterations();
        int minMemory = KdfParams.OWASP_MINIMUM.memoryKiB() >> 10;
        int minWork = minMemory * KdfParams.OWASP_MINIMUM.iterations();
        if (memory < minMemory || memory > MAX_MEMORY_MIB || passes < 1 || passes > MAX_ITERATIONS
                || memory * passes < minWork) {
            throw new IllegalArgumentException("--kdf-memory must be " + minMemory + " to " + MAX_MEMORY_MIB
                    + " MiB and --kdf-iterations 1 to " + MAX_ITERATIONS + ", with memory x passes at least " + minWork
                    + " (OWASP's minimum for Argon2id is " + minMemory + " MiB x " + KdfParams.OWASP_MINIMUM.iterations()
                    + "); got " + memory + " MiB x " + passes);
        }
        return new KdfParams(memory << 10, passes, 1);
    }
}
