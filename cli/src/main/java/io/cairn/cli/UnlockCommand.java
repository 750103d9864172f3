package io.cairn.cli;

import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryLock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn unlock}: removes stale locks (or all locks with --remove-all). */
@Command(name = "unlock", description = "Remove stale locks left by crashed processes.")
final class UnlockCommand implements Callable<Integer> {

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Option(names = "--remove-all", description = "Remove every lock, also live ones. Only when you are sure no "
            + "other cairn process uses the repository.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        try (Repository r = repo.open()) {
            int n = RepositoryLock.removeLocks(r, all);
            if (output.json()) {
                output.json(Map.of("message_type", "unlocked", "removed", n));
            } else {
                output.text("removed " + n + " lock" + (n == 1 ? "" : "s"));
            }
        }
        return 0;
    }
}
