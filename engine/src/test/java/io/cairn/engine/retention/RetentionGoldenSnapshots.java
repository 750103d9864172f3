package io.cairn.engine.retention;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The deterministic snapshot list behind the retention golden files: about 200 snapshots over three
 * years in Europe/Berlin, in two groups. The list itself is pinned in
 * {@code golden/retention/snapshots.txt}, so a change here fails the golden test too.
 *
 * <p>How it is made (all times whole seconds, wall clock in Europe/Berlin):
 * <ul>
 *   <li>Randomness is {@code new java.util.Random(20240701)}; its algorithm is fixed by the JDK's
 *       specification, so every JVM draws the same numbers.</li>
 *   <li>Group {@code web1:/srv}, history: from 2021-07-01 22:00, steps of 2 to 13 days plus 0 to 179
 *       minutes, until 2024-05-31.</li>
 *   <li>Group {@code web1:/srv}, recent: from 2024-06-01 00:10, steps of 4 to 23 hours plus 0 to 59
 *       minutes, until 2024-06-30 23:00.</li>
 *   <li>Every 25th generated snapshot of {@code web1:/srv} gets a twin at the same second (a tie).</li>
 *   <li>Fixed extras in {@code web1:/srv} around the 2023 DST changes: 2023-03-26 01:30 and 03:30
 *       (spring forward at 02:00), 2023-10-29 02:30 CEST and 02:30 CET (the repeated hour).</li>
 *   <li>Group {@code db1:/var/lib/db}: a snapshot every Sunday 03:00 from 2023-01-01 to 2023-04-02, then
 *       nothing (a retired machine: its within rules count from 2023-04-02, not from now).</li>
 *   <li>Ids: {@code w001...} and {@code d001...} in chronological order (twins: the earlier id
 *       first). Tags: every 17th web snapshot {@code prod}, every 11th {@code manual} (both possible),
 *       the others none; db snapshots are tagged {@code db}.</li>
 * </ul>
 */
final class RetentionGoldenSnapshots {

    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    /** The injected "now" of every golden plan: shortly after the last snapshot. */
    static final Instant NOW = Instant.parse("2024-07-01T06:00:00Z");
    static final String WEB_GROUP = "web1:/srv";
    static final String DB_GROUP = "db1:/var/lib/db";

    private RetentionGoldenSnapshots() {
    }

    static List<RetentionCandidate> generate() {
        Random random = new Random(20240701L);
        List<ZonedDateTime> webTimes = new ArrayList<>();
        ZonedDateTime time = at(2021, 7, 1, 22, 0);
        ZonedDateTime historyEnd = at(2024, 5, 31, 0, 0);
        int generated = 0;
        while (time.isBefore(historyEnd)) {
            generated = addWithTwin(webTimes, time, generated);
            time = time.plusDays(2 + random.nextInt(12)).plusMinutes(random.nextInt(180));
        }
        time = at(2024, 6, 1, 0, 10);
        ZonedDateTime recentEnd = at(2024, 6, 30, 23, 0);
        while (time.isBefore(recentEnd)) {
            generated = addWithTwin(webTimes, time, generated);
            time = time.plusHours(4 + random.nextInt(20)).plusMinutes(random.nextInt(60));
        }
        webTimes.add(at(2023, 3, 26, 1, 30));
        webTimes.add(at(2023, 3, 26, 3, 30));
        ZonedDateTime repeatedHour = at(2023, 10, 29, 2, 30);
        webTimes.add(repeatedHour.withEarlierOffsetAtOverlap());
        webTimes.add(repeatedHour.withLaterOffsetAtOverlap());
        webTimes.sort(Comparator.comparing(ZonedDateTime::toInstant));

        List<RetentionCandidate> candidates = new ArrayList<>();
        for (int i = 0; i < webTimes.size(); i++) {
            int number = i + 1;
            Set<String> tags = new TreeSet<>();
            if (number % 17 == 0) {
                tags.add("prod");
            }
            if (number % 11 == 0) {
                tags.add("manual");
            }
            candidates.add(new RetentionCandidate(String.format("w%03d", number), webTimes.get(i).toInstant(), tags,
                    WEB_GROUP));
        }
        ZonedDateTime sunday = at(2023, 1, 1, 3, 0);
        for (int number = 1; !sunday.isAfter(at(2023, 4, 2, 3, 0)); number++) {
            candidates.add(new RetentionCandidate(String.format("d%03d", number), sunday.toInstant(), Set.of("db"),
                    DB_GROUP));
            sunday = sunday.plusWeeks(1);
        }
        return candidates;
    }

    private static int addWithTwin(List<ZonedDateTime> times, ZonedDateTime time, int generated) {
        times.add(time);
        int count = generated + 1;
        if (count % 25 == 0) {
            times.add(time);
        }
        return count;
    }

    private static ZonedDateTime at(int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(LocalDateTime.of(year, month, day, hour, minute), ZONE);
    }
}
