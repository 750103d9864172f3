package io.cairn.server.schedule;

/**
 * A cron expression or time zone that cannot be used. {@link #field()} names the part that is wrong
 * ({@code minute}, {@code hour}, {@code dayOfMonth}, {@code month}, {@code dayOfWeek}, {@code second},
 * {@code cron} for the whole expression, or {@code zone}); the message says what is wrong with it.
 */
public class InvalidCronException extends IllegalArgumentException {

    private final String field;

    public InvalidCronException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
