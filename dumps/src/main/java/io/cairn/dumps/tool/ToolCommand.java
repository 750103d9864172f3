package io.cairn.dumps.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of an external program: its absolute path, arguments and extra environment, plus the
 * temporary files (password files) to delete once it has exited. Secrets go in {@link #env} or in a
 * {@link SecretFile}, never in {@link #args}.
 *
 * @param tool       short name for messages ("pg_dump")
 * @param executable absolute path of the program
 * @param args       arguments after the program name
 * @param env        variables set for the child on top of the cleaned inherited environment
 * @param tempFiles  files deleted after the program exited
 */
public record ToolCommand(String tool, Path executable, List<String> args, Map<String, String> env, List<Path> tempFiles) {

    /** Variables never inherited from Cairn's own environment: they would redirect or log in the tools. */
    private static final List<String> DROPPED_PREFIXES = List.of("PG", "MYSQL", "MARIADB", "REDISCLI_", "LIBPQ");

    public ToolCommand {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        tempFiles = List.copyOf(tempFiles);
    }

    /** A command with no extra environment and no temporary files. */
    public static ToolCommand of(String tool, Path executable, List<String> args) {
        return new ToolCommand(tool, executable, args, Map.of(), List.of());
    }

    /** This command with one more environment variable. */
    public ToolCommand withEnv(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.put(name, value);
        return new ToolCommand(tool, executable, args, more, tempFiles);
    }

    /** This command, deleting {@code file} after it ran. */
    public ToolCommand withTempFile(Path file) {
        List<Path> more = new ArrayList<>(tempFiles);
        more.add(file);
        return new ToolCommand(tool, executable, args, env, more);
    }

    /** The command line for messages (it never holds a secret). */
    public String commandLine() {
        return tool + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }

    /**
     * util-linux's {@code setpriv}, which can set the parent-death signal for the program it runs; null when
     * this is not Linux or it is not installed.
     */
    private static final Path SETPRIV = findSetpriv();

    private static Path findSetpriv() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return null;
        }
        for (String candidate : List.of("/usr/bin/setpriv", "/bin/setpriv")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /**
     * A process builder with a clean environment: no inherited PG / MYSQL / REDISCLI variables, English
     * messages. On Linux the program runs under {@code setpriv --pdeathsig KILL}: it is killed when the
     * thread that started it — the backup's or restore's own thread — or Cairn itself dies, so a server
     * killed mid-restore leaves no restore tool writing on without it (setpriv replaces itself with the
     * program: same process, same exit status).
     */
    ProcessBuilder processBuilder(Toolbox toolbox) throws IOException {
        if (!Files.isExecutable(executable)) {
            throw new IOException(executable + " is not an executable file");
        }
        List<String> cmd = new ArrayList<>();
        if (SETPRIV != null) {
            cmd.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        cmd.add(executable.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> childEnv = pb.environment();
        childEnv.keySet().removeIf(k -> DROPPED_PREFIXES.stream().anyMatch(k::startsWith));
        childEnv.put("PATH", toolbox.pathVariable());
        childEnv.put("LC_MESSAGES", "C");
        childEnv.put("LANGUAGE", "C");
        childEnv.putAll(env);
        return pb;
    }

    /** Deletes the temporary files; never throws. */
    void deleteTempFiles() {
        for (Path p : tempFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: the file is 0600 in a private temp directory
            }
        }
    }
}
