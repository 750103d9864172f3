package io.cairn.cli;

import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.crypto.NativeCrypto;
import io.cairn.engine.concurrent.TreeWalkThreads;
import io.cairn.engine.repository.RepositoryException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cairn} command: one subcommand per operation. Exit codes (see docs/cli.md):
 * 0 success, 1 failure, 2 usage error, 3 backup saved but some files could not be read,
 * 4 repository damaged, 10 no/foreign repository, 11 locked, 12 wrong or missing password,
 * 13 disk full, 14 a database restore target that holds data or does not exist.
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, versionProvider = CairnCommand.Version.class,
        description = "Deduplicating, compressed, encrypted backups.")
public final class CairnCommand {

    /**
     * The subcommands by name, in the order {@code cairn --help} lists them. Not in the {@code @Command}
     * annotation: picocli builds the model of every command it is given, which took ~0.5 s of a
     * command's start (interpreted reflection over 14 commands and their options); {@link #commandLine}
     * builds only those a command line names.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    public static final int EXIT_PARTIAL = 3;
    /**
     * A database restore refused its target: it holds data (and {@code --overwrite-database} was not
     * given) or does not exist (and {@code --create-database} was not given). Nothing was changed.
     */
    public static final int EXIT_DATABASE_TARGET = 14;

    /** Repository options given before the subcommand name. */
    @picocli.CommandLine.Mixin
    RepositoryOptions global;

    /** --json given before the subcommand name. */
    @picocli.CommandLine.Mixin
    Output globalOutput;

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cairn 0.1.0 (repository format 1)", "crypto: " + NativeCrypto.status().description()};
        }
    }

    public static void main(String[] args) throws InterruptedException {
        installNativeCrypto();
        // On a thread with room to walk the deepest directory trees (the main thread's stack is 1 MiB).
        int[] code = {RepositoryException.EXIT_FAILURE};
        Thread command = TreeWalkThreads.newThread(() -> code[0] = run(args), "cairn");
        command.start();
        command.join();
        System.exit(code[0]);
    }

    /**
     * Native AES-GCM, HMAC and SHA-256 before anything makes a cipher (docs/adr/0016). bin/cairn runs the JVM on
     * its C1 compiler alone when the native library is there ({@code -Dcairn.jit=c1}); should the library still
     * fail to load, the JDK's crypto would run uncompiled by C2, several times slower: say so and how to avoid it.
     */
    static void installNativeCrypto() {
        NativeCrypto.Status crypto = NativeCrypto.install();
        if (!crypto.active() && "c1".equals(System.getProperty("cairn.jit"))) {
            System.err.println("cairn: warning: " + crypto.description() + "; with the launcher's JIT settings the"
                    + " JDK's crypto runs slowly. Set CAIRN_JAVA_OPTS=\"-XX:+UseSerialGC -Xmx2g\" to run with the full JIT.");
        }
    }

    /** Gives every subcommand (and theirs) -h/--help and -V/--version. */
    private static void addHelpOptions(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (!sub.getCommandSpec().mixinStandardHelpOptions()) {
                sub.getCommandSpec().mixinStandardHelpOptions(true);
            }
            addHelpOptions(sub);
        }
    }

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("init", InitCommand.class);
        m.put("backup", BackupCommand.class);
        m.put("snapshots", SnapshotsCommand.class);
        m.put("restore", RestoreCommand.class);
        m.put("check", CheckCommand.class);
        m.put("key", KeyCommand.class);
        m.put("unlock", UnlockCommand.class);
        m.put("forget", ForgetCommand.class);
        m.put("prune", PruneCommand.class);
        m.put("ls", LsCommand.class);
        m.put("dump", DumpCommand.class);
        m.put("diff", DiffCommand.class);
        m.put("stats", StatsCommand.class);
        m.put("remote", RemoteCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The command line for {@code args}: the root command with the subcommands that {@code args} name
     * anywhere (an option's value that happens to be a command's name only adds a command that goes
     * unused), or with all of them when none is named ({@code cairn}, {@code cairn --help}, a typo that
     * picocli answers with suggestions) or {@code help} is ({@code cairn help} lists them all). Parsing
     * is the same as with every subcommand present.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new CairnCommand());
        Set<String> given = new HashSet<>(Arrays.asList(args));
        boolean all = given.contains("help") || SUBCOMMANDS.keySet().stream().noneMatch(given::contains);
        SUBCOMMANDS.forEach((name, command) -> {
            if (all || given.contains(name)) {
                cli.addSubcommand(name, command);
            }
        });
        addHelpOptions(cli);
        return cli;
    }

    /** Runs the CLI and returns the exit code (used by tests without spawning a JVM). */
    public static int run(String... args) {
        CommandLine cli = commandLine(args);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean json = parseResult.originalArgs().contains("--json");
            int code;
            String message;
            if (ex instanceof RepositoryException re) {
                code = re.exitCode();
                message = re.getMessage();
            } else if (ex instanceof CorruptObjectException ce) {
                code = RepositoryException.EXIT_DAMAGED;
                message = "repository data is damaged: " + ce.getMessage() + ". Run 'cairn check --read-data' to see what is affected";
            } else if (ex instanceof IllegalArgumentException ia) {
                code = 2;
                message = ia.getMessage();
            } else if (ex instanceof java.io.IOException io) {
                code = RepositoryException.EXIT_FAILURE;
                message = io.getClass().getSimpleName().replace("Exception", "") + ": " + io.getMessage();
            } else {
                code = RepositoryException.EXIT_FAILURE;
                message = ex.toString();
                ex.printStackTrace(commandLine.getErr());
            }
            if (json) {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("message_type", "error");
                m.put("exit_code", code);
                m.put("message", message);
                try {
                    commandLine.getErr().println(Output.JSON.writeValueAsString(m));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    commandLine.getErr().println(message);
                }
            } else {
                commandLine.getErr().println("error: " + message);
            }
            return code;
        });
        return cli.execute(args);
    }
}
