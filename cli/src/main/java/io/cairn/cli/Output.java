package io.cairn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code --json} switch every command has, and the printing that follows from it: human text
 * on stdout by default, one JSON document per line with {@code --json}.
 */
public final class Output {

    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    @Option(names = "--json", description = "Print machine-readable JSON (one object per line) instead of text.")
    boolean json;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    PrintStream out = System.out;

    /** Whether --json was given on this command or before the subcommand name. */
    public boolean json() {
        if (json) {
            return true;
        }
        return mixee != null && mixee.root() != mixee && mixee.root().userObject() instanceof CairnCommand root
                && root.globalOutput.json;
    }

    /** Prints {@code value} as one JSON line (only with --json). */
    public void json(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** Prints a line of text (only without --json). */
    public void text(String line) {
        if (!json()) {
            out.println(line);
        }
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }

    public static String duration(long millis) {
        long s = millis / 1000;
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
