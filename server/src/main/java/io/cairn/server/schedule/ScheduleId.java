package io.cairn.server.schedule;

/** The id of a schedule. */
public record ScheduleId(long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
