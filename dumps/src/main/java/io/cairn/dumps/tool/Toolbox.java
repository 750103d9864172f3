package io.cairn.dumps.tool;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.DatabaseException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the adapters look for programs ({@code pg_dump}, {@code mariadb-dump}, {@code redis-cli}):
 * an explicit list of directories, by default this process's {@code PATH}. Tools are run by absolute
 * path and get this list as their own {@code PATH}, so a test can hide a tool by leaving out its
 * directory, or stand in a script of the same name.
 */
public final class Toolbox {
    private final List<Path> directories;

    private Toolbox(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /** The directories of this process's {@code PATH}. */
    public static Toolbox fromEnvironment() {
        return fromPathVariable(System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    }

    /** The directories of a {@code PATH}-style string. */
    public static Toolbox fromPathVariable(String path) {
        List<Path> dirs = new ArrayList<>();
        for (String part : path.split(File.pathSeparator)) {
            if (!part.isBlank()) {
                dirs.add(Path.of(part));
            }
        }
        return new Toolbox(dirs);
    }

    /** Exactly these directories, searched in order. */
    public static Toolbox of(List<Path> directories) {
        return new Toolbox(directories);
    }

    /** The directories searched, in order. */
    public List<Path> directories() {
        return directories;
    }

    /** The directories as a {@code PATH} value for child processes. */
    public String pathVariable() {
        return String.join(File.pathSeparator, directories.stream().map(Path::toString).toList());
    }

    /** The first executable called {@code name}. */
    public Optional<Path> find(String name) {
        for (Path dir : directories) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The first of {@code names} that exists (e.g. {@code mariadb-dump}, then {@code mysqldump}). */
    public Optional<Path> findAny(String... names) {
        for (String name : names) {
            Optional<Path> found = find(name);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * The first of {@code names}, or a {@link CheckStatus#TOOL_MISSING} failure whose message says
     * how to install it ({@code installHint}, e.g. "apt-get install postgresql-client").
     */
    public Path require(String installHint, String... names) throws DatabaseException {
        return findAny(names).orElseThrow(() -> new DatabaseException(CheckStatus.TOOL_MISSING,
                names[0] + " is not installed (looked in " + pathVariable() + "): " + installHint));
    }
}
