package io.cairn.server.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollup of a job's telemetry, kept with the job: peak, average and minimum speed, duration, and
 * the points of the speed-over-time chart (at most {@link #MAX_POINTS}, evenly thinned).
 *
 * @param points each {@code [seconds since start, bytes per second, percent or -1]}
 */
public record Performance(long durationMillis, long bytes, long peakBps, long averageBps, long minimumBps,
                          List<double[]> points) {

    static final int MAX_POINTS = 240;

    /** Rolls samples up; the average is bytes over the whole duration, not the mean of samples. */
    static Performance of(List<JobTelemetry.Sample> samples, Instant start, Instant end, long bytes) {
        long millis = Math.max(1, Duration.between(start, end).toMillis());
        long peak = 0;
        long min = Long.MAX_VALUE;
        List<double[]> points = new ArrayList<>();
        for (JobTelemetry.Sample s : samples) {
            peak = Math.max(peak, s.speedBps());
            min = Math.min(min, s.speedBps());
            points.add(new double[] {Duration.between(start, s.at()).toMillis() / 1000.0, s.speedBps(),
                    s.percent() == null ? -1 : s.percent()});
        }
        long average = bytes * 1000 / millis;
        if (samples.isEmpty()) {
            peak = average;
            min = average;
        }
        return new Performance(millis, bytes, Math.max(peak, average), average, Math.min(min, average), thin(points));
    }

    private static List<double[]> thin(List<double[]> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        List<double[]> out = new ArrayList<>(MAX_POINTS);
        double step = (double) points.size() / MAX_POINTS;
        for (int i = 0; i < MAX_POINTS; i++) {
            out.add(points.get((int) (i * step)));
        }
        out.set(MAX_POINTS - 1, points.get(points.size() - 1));
        return out;
    }
}
