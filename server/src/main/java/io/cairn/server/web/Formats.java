package io.cairn.server.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Numbers and times as people read them, for templates: {@code ${@fmt.bytes(n)}}. */
@Component("fmt")
public class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Clock clock;

    public Formats(Clock clock) {
        this.clock = clock;
    }

    /** 1536 → "1.5 KiB". Negative → "unknown". */
    public String bytes(long n) {
        if (n < 0) {
            return "unknown";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** "3 d 4 h", "2 h 5 min", "42 s", and below 10 s in tenths: "0.4 s" (a small backup is not "0 s"). */
    public String duration(Duration d) {
        if (d == null) {
            return "—";
        }
        long s = d.toSeconds();
        if (s < 10) {
            long tenths = d.toMillis() / 100; // cut, not rounded: 9.95 s stays below 10 s
            return tenths / 10 + "." + tenths % 10 + " s";
        }
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min";
        }
        if (s < 86400) {
            return (s / 3600) + " h " + (s % 3600 / 60) + " min";
        }
        return (s / 86400) + " d " + (s % 86400 / 3600) + " h";
    }

    /**
     * How long something ran: from {@code start} to {@code end} when both are known (so a short run shows
     * tenths), else {@code seconds} (a run still going), else "—".
     */
    public String elapsed(Instant start, Instant end, Long seconds) {
        if (start != null && end != null) {
            return duration(Duration.between(start, end));
        }
        return seconds == null ? "—" : seconds(seconds);
    }

    /** Seconds as a duration: 3725 → "1 h 2 min". */
    public String seconds(long s) {
        return duration(Duration.ofSeconds(s));
    }

    /** The time of day, UTC: "14:03:27". */
    public String clock(Instant t) {
        return t == null ? "" : CLOCK.format(t);
    }

    public String time(Instant t) {
        return t == null ? "never" : TIME.format(t);
    }

    /** "5 min ago". */
    public String ago(Instant t) {
        if (t == null) {
            return "never";
        }
        Duration d = Duration.between(t, clock.instant());
        return d.isNegative() ? "just now" : d.toSeconds() < 60 ? "just now" : duration(d) + " ago";
    }

    /** The used share of a disk from health details ({@code freeBytes}, {@code totalBytes}), in 5% steps. */
    public int usedStep(java.util.Map<String, Object> details) {
        if (details.get("totalBytes") instanceof Number total && details.get("freeBytes") instanceof Number free) {
            return meterStep(total.longValue() - free.longValue(), total.longValue());
        }
        return 0;
    }

    /** A percentage rounded to the meter's 5% steps (CSS classes meter-0 … meter-100). */
    public int meterStep(long part, long whole) {
        if (whole <= 0 || part < 0) {
            return 0;
        }
        long pct = Math.round(100.0 * part / whole);
        return (int) Math.max(0, Math.min(100, Math.round(pct / 5.0) * 5));
    }
}
