package io.cairn.cli;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every repository command shares: where the repository is and how to get its password.
 * The password comes from {@code --password-file}, else {@code CAIRN_PASSWORD}, else a prompt on
 * the terminal; it is never accepted as a command-line argument (it would show in {@code ps}).
 * The options work before the subcommand too ({@code cairn -r DIR backup ...}, as in restic):
 * values given there are used when the subcommand has none of its own.
 */
public final class RepositoryOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-r", "--repo"}, paramLabel = "DIR",
            description = "Repository location (a directory). Default: $CAIRN_REPOSITORY.")
    String repo;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the repository password from the first line of FILE. Default: $CAIRN_PASSWORD_FILE, "
                    + "then $CAIRN_PASSWORD, then a prompt.")
    Path passwordFile;

    /** The same options given before the subcommand name, or null for the root command itself. */
    private RepositoryOptions global() {
        if (mixee == null || mixee.root() == mixee || !(mixee.root().userObject() instanceof CairnCommand root)) {
            return null;
        }
        return root.global;
    }

    /** The repository: given on the subcommand, else before it, else $CAIRN_REPOSITORY. */
    String location() {
        RepositoryOptions g = global();
        if (repo != null) {
            return repo;
        }
        if (g != null && g.repo != null) {
            return g.repo;
        }
        return System.getenv("CAIRN_REPOSITORY");
    }

    /** The password file: given on the subcommand, else before it, else $CAIRN_PASSWORD_FILE. */
    Path passwordFile() {
        RepositoryOptions g = global();
        if (passwordFile != null) {
            return passwordFile;
        }
        if (g != null && g.passwordFile != null) {
            return g.passwordFile;
        }
        String env = System.getenv("CAIRN_PASSWORD_FILE");
        return env == null || env.isEmpty() ? null : Path.of(env);
    }

    public Backend backend() throws IOException {
        String repo = location();
        if (repo == null || repo.isBlank()) {
            throw new RepositoryException("no repository given: use --repo DIR or set CAIRN_REPOSITORY",
                    RepositoryException.EXIT_NO_REPOSITORY);
        }
        return new LocalBackend(Path.of(repo));
    }

    public char[] password(String prompt) throws IOException {
        Path passwordFile = passwordFile();
        if (passwordFile != null) {
            if (!Files.isReadable(passwordFile)) {
                throw new RepositoryException("cannot read password file " + passwordFile, RepositoryException.EXIT_FAILURE);
            }
            String content = Files.readString(passwordFile, StandardCharsets.UTF_8);
            String firstLine = content.lines().findFirst().orElse("");
            if (firstLine.isEmpty()) {
                throw new RepositoryException("password file " + passwordFile + " is empty", RepositoryException.EXIT_FAILURE);
            }
            return firstLine.toCharArray();
        }
        String env = System.getenv("CAIRN_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new RepositoryException("no password: set CAIRN_PASSWORD, use --password-file, or run on a terminal "
                    + "to be prompted", RepositoryException.EXIT_WRONG_PASSWORD);
        }
        char[] pw = console.readPassword("%s", prompt);
        if (pw == null || pw.length == 0) {
            throw new RepositoryException("no password entered", RepositoryException.EXIT_WRONG_PASSWORD);
        }
        return pw;
    }

    /** Opens the repository with the password from the usual sources. */
    public Repository open() throws IOException {
        Backend backend = backend();
        Path dir = Path.of(location());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new RepositoryException("no Cairn repository at " + backend.location() + ": it is a file, not a "
                    + "repository directory; check --repo / CAIRN_REPOSITORY", RepositoryException.EXIT_NO_REPOSITORY);
        }
        return Repository.open(backend, password("Password for " + backend.location() + ": "), Clock.systemUTC());
    }
}
