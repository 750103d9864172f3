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

    @Mixin
    KdfOptions kdfOptions;

    @Override
    public Integer call() throws Exception {
        KdfParams kdf = kdfOptions.params();
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
}
