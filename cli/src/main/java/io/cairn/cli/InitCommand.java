package io.cairn.cli;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.blob.Compression;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.repository.Repository;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn init}: creates a new repository. */
@Command(name = "init", description = "Create a new repository.")
final class InitCommand implements Callable<Integer> {

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Option(names = "--compression", defaultValue = "default", paramLabel = "LEVEL",
            description = "Default compression for new data: off, fast, default, max (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--kdf-memory", paramLabel = "MiB",
            description = "Argon2id memory of the password's key derivation, in MiB (default: 19; at least 19, at most "
                    + MAX_KDF_MEMORY_MIB + "). Paid by every command that opens the repository.")
    Integer kdfMemoryMiB;

    @Option(names = "--kdf-iterations", paramLabel = "N",
            description = "Argon2id passes of the key derivation (default: 2 at 19 MiB, 1 with a larger --kdf-memory; "
                    + "at most 10).")
    Integer kdfIterations;

    /** Argon2id runs in the command line's heap (2 GiB at most): room for the key derivation and the rest. */
    static final int MAX_KDF_MEMORY_MIB = 1024;

    @Override
    public Integer call() throws Exception {
        KdfParams kdf = kdfParams();
        Backend backend = repo.backend();
        char[] password = repo.password("Password for the new repository: ");
        if (System.getenv("CAIRN_PASSWORD") == null && repo.passwordFile() == null && System.console() != null) {
            char[] again = System.console().readPassword("Repeat the password: ");
            if (!java.util.Arrays.equals(password, again)) {
                throw new IllegalArgumentException("the passwords differ");
            }
        }
        try (Repository r = Repository.init(backend, password,
                Repository.InitOptions.defaults().withCompression(Compression.parse(compression)).withKdf(kdf),
                Clock.systemUTC())) {
            if (output.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("message_type", "initialized");
                m.put("id", r.config().id());
                m.put("repository", backend.location());
                output.json(m);
            } else {
                output.text("created Cairn repository " + r.config().id().substring(0, 10) + " at " + backend.location());
                output.text("Keep the password safe: without it the data cannot be read by anyone, including you.");
            }
        }
        return 0;
    }

    /** The default, or the stronger parameters asked for; weaker ones are refused before the password is asked. */
    private KdfParams kdfParams() {
        if (kdfMemoryMiB == null && kdfIterations == null) {
            return KdfParams.DEFAULT;
        }
        int memory = kdfMemoryMiB == null ? KdfParams.DEFAULT.memoryKiB() >> 10 : kdfMemoryMiB;
        int passes = kdfIterations != null ? kdfIterations
                : memory > KdfParams.DEFAULT.memoryKiB() >> 10 ? 1 : KdfParams.DEFAULT.iterations();
        int minMemory = KdfParams.OWASP_MINIMUM.memoryKiB() >> 10;
        int minWork = minMemory * KdfParams.OWASP_MINIMUM.iterations();
        if (memory < minMemory || memory > MAX_KDF_MEMORY_MIB || passes < 1 || passes > 10 || memory * passes < minWork) {
            throw new IllegalArgumentException("--kdf-memory must be " + minMemory + " to " + MAX_KDF_MEMORY_MIB
                    + " MiB and --kdf-iterations 1 to 10, with memory x passes at least " + minWork + " (OWASP's "
                    + "minimum for Argon2id is " + minMemory + " MiB x " + KdfParams.OWASP_MINIMUM.iterations()
                    + "); got " + memory + " MiB x " + passes);
        }
        return new KdfParams(memory << 10, passes, 1);
    }
}
