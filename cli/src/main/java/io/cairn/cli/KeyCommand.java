package io.cairn.cli;

import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.repository.KeyInfo;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn key}: manages the passwords (key files) that open a repository. */
@Command(name = "key", description = "Manage the repository's passwords.",
        subcommands = {KeyCommand.List.class, KeyCommand.Add.class, KeyCommand.Remove.class, KeyCommand.Passwd.class})
final class KeyCommand {

    /** Reads the new password from --new-password-file, $CAIRN_NEW_PASSWORD, or a prompt (twice). */
    static char[] newPassword(Path file) throws java.io.IOException {
        if (file != null) {
            String line = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            if (line.isEmpty()) {
                throw new RepositoryException("new password file " + file + " is empty", RepositoryException.EXIT_FAILURE);
            }
            return line.toCharArray();
        }
        String env = System.getenv("CAIRN_NEW_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        if (System.console() == null) {
            throw new RepositoryException("no new password: use --new-password-file or set CAIRN_NEW_PASSWORD",
                    RepositoryException.EXIT_FAILURE);
        }
        char[] a = System.console().readPassword("New password: ");
        char[] b = System.console().readPassword("Repeat the new password: ");
        if (!java.util.Arrays.equals(a, b)) {
            throw new IllegalArgumentException("the passwords differ");
        }
        return a;
    }

    @Command(name = "list", description = "List keys (never their secrets).")
    static final class List implements Callable<Integer> {
        @Mixin
        RepositoryOptions repo;
        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            try (Repository r = repo.open()) {
                java.util.List<KeyInfo> keys = r.listKeys();
                if (output.json()) {
                    output.json(keys);
                    return 0;
                }
                output.text(String.format(" %-10s  %-24s  %-16s  %-10s  %s", "ID", "Created", "Host", "User", "KDF"));
                for (KeyInfo k : keys) {
                    output.text(String.format("%s%-10s  %-24s  %-16s  %-10s  %s m=%dKiB t=%d p=%d", k.current() ? "*" : " ",
                            k.id().substring(0, 10), k.created(), k.hostname(), k.username(), k.kdf(), k.memoryKiB(),
                            k.iterations(), k.parallelism()));
                }
            }
            return 0;
        }
    }

    @Command(name = "add", description = "Add a password.")
    static final class Add implements Callable<Integer> {
        @Mixin
        RepositoryOptions repo;
        @Mixin
        Output output;
        @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from FILE.")
        Path newPasswordFile;
        @Mixin
        KdfOptions kdfOptions;

        @Override
        public Integer call() throws Exception {
            KdfParams kdf = kdfOptions.params();
            try (Repository r = repo.open()) {
                String id = r.addKey(newPassword(newPasswordFile), kdf);
                print(output, "key_added", id);
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a password (not the one in use, not the last).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        RepositoryOptions repo;
        @Mixin
        Output output;
        @Parameters(paramLabel = "ID", description = "Key id or unique prefix.")
        String id;

        @Override
        public Integer call() throws Exception {
            try (Repository r = repo.open()) {
                r.removeKey(id);
                print(output, "key_removed", id);
            }
            return 0;
        }
    }

    @Command(name = "passwd", description = "Change the password in use.")
    static final class Passwd implements Callable<Integer> {
        @Mixin
        RepositoryOptions repo;
        @Mixin
        Output output;
        @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from FILE.")
        Path newPasswordFile;
        @Mixin
        KdfOptions kdfOptions;

        @Override
        public Integer call() throws Exception {
            KdfParams kdf = kdfOptions.params();
            try (Repository r = repo.open()) {
                String id = r.changePassword(newPassword(newPasswordFile), kdf);
                print(output, "password_changed", id);
            }
            return 0;
        }
    }

    private static void print(Output output, String type, String id) {
        if (output.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message_type", type);
            m.put("id", id);
            output.json(m);
        } else {
            output.text(type.replace('_', ' ') + ": " + id);
        }
    }
}
