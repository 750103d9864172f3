package io.cairn.engine.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which packs a read-data check reads.
 * <ul>
 *   <li>{@code n/t} (1 &le; n &le; t): the packs whose id, read as a number, is {@code n-1} modulo
 *       {@code t}; more exactly, the first 16 hex digits of the id as an unsigned 64-bit number. Pack
 *       ids are random, so each slice holds about {@code 1/t} of the packs; the slices {@code 1/t ..
 *       t/t} are disjoint and together hold every pack, and a pack stays in its slice as others are
 *       added or removed. Running {@code 1/7} on Monday through {@code 7/7} on Sunday reads everything
 *       once a week.</li>
 *   <li>{@code N%} (0 &lt; N &le; 100, decimals allowed): a random sample of {@code ceil(N/100 x packs)}
 *       packs, drawn with the caller's {@link Random}.</li>
 * </ul>
 *
 * @param slice   1-based slice number for {@code n/t}, 0 for a percentage
 * @param slices  number of slices for {@code n/t}, 0 for a percentage
 * @param percent the percentage, 0 for {@code n/t}
 */
public record DataSubset(int slice, int slices, double percent) {

    private static final Pattern SLICE = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");
    private static final Pattern PERCENT = Pattern.compile("\\s*(\\d{1,3}(?:\\.\\d+)?)\\s*%\\s*");

    public DataSubset {
        if (slices == 0) {
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("a read-data percentage must be above 0% and at most 100%, got "
                        + percent + "%");
            }
        } else if (slices < 1 || slice < 1 || slice > slices) {
            throw new IllegalArgumentException("a read-data slice n/t needs 1 <= n <= t, got " + slice + "/" + slices);
        }
    }

    /** The slice {@code n} of {@code t}. */
    public static DataSubset slice(int n, int t) {
        if (t < 1) {
            throw new IllegalArgumentException("a read-data slice n/t needs t >= 1, got " + n + "/" + t);
        }
        return new DataSubset(n, t, 0);
    }

    /** A random {@code percent} percent of the packs. */
    public static DataSubset percent(double percent) {
        return new DataSubset(0, 0, percent);
    }

    /**
     * Parses "N%" or "n/t".
     *
     * @throws IllegalArgumentException naming the accepted forms if {@code text} is neither
     */
    public static DataSubset parse(String text) {
        String form = "give a percentage such as 10% or a slice n/t such as 2/5 (1 <= n <= t)";
        try {
            if (text != null) {
                Matcher m = SLICE.matcher(text);
                if (m.matches()) {
                    return slice(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                }
                m = PERCENT.matcher(text);
                if (m.matches()) {
                    return percent(Double.parseDouble(m.group(1)));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid read-data subset '" + text + "': " + e.getMessage() + "; " + form,
                    e);
        }
        throw new IllegalArgumentException("invalid read-data subset '" + text + "': " + form);
    }

    public boolean isSlice() {
        return slices > 0;
    }

    /** Whether a pack belongs to this slice (only for {@code n/t}). */
    public boolean inSlice(String packId) {
        if (!isSlice()) {
            throw new IllegalStateException("a percentage subset has no fixed slice");
        }
        long number = Long.parseUnsignedLong(packId.substring(0, 16), 16);
        return Long.remainderUnsigned(number, slices) == slice - 1;
    }

    /** The packs to read out of {@code packIds}, sorted; {@code random} draws a percentage's sample. */
    public List<String> select(Collection<String> packIds, Random random) {
        List<String> sorted = new ArrayList<>(packIds);
        Collections.sort(sorted);
        if (isSlice()) {
            return sorted.stream().filter(this::inSlice).toList();
        }
        int count = (int) Math.min(sorted.size(), Math.ceil(sorted.size() * percent / 100.0));
        Collections.shuffle(sorted, random);
        List<String> chosen = new ArrayList<>(sorted.subList(0, count));
        Collections.sort(chosen);
        return chosen;
    }

    @Override
    public String toString() {
        if (isSlice()) {
            return slice + "/" + slices;
        }
        return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
    }
}
