package io.cairn.cli;

/**
 * Process entry point of the {@code cairn} artifact. {@code cairn server ...} starts the server
 * when the server module is on the class path; every other command is the CLI.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("server")) {
            Class<?> server;
            try {
                server = Class.forName("io.cairn.server.CairnServer");
            } catch (ClassNotFoundException e) {
                System.err.println("error: this build has no server module; build the full project (see README)");
                System.exit(1);
                return;
            }
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            server.getMethod("main", String[].class).invoke(null, (Object) rest);
            return;
        }
        // the engine's rare log lines (System.Logger, e.g. a directory cache it cannot write) as one plain line
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        CairnCommand.main(args);
    }
}
