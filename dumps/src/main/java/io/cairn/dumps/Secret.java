package io.cairn.dumps;

import java.util.Arrays;

/**
 * A password or other credential. Its {@link #toString()} never shows the value, so a secret can sit
 * in records, log lines and exception messages without leaking; {@link #reveal()} is the one way out,
 * used only where the value is handed to a driver, a 0600 file or a child process's environment.
 */
public final class Secret {
    private static final Secret NONE = new Secret(new char[0]);

    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    /** A secret holding {@code value} (null or empty: no secret). */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? NONE : new Secret(value.toCharArray());
    }

    /** A secret holding a copy of {@code value}. */
    public static Secret of(char[] value) {
        return value == null || value.length == 0 ? NONE : new Secret(value.clone());
    }

    /** No secret (connect without a password). */
    public static Secret none() {
        return NONE;
    }

    /** Whether there is no secret. */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /** The value itself. Never log it, never put it on a command line. */
    public String reveal() {
        return new String(value);
    }

    /** Always {@code "******"} (or {@code "(none)"}), whatever the value. */
    @Override
    public String toString() {
        return isEmpty() ? "(none)" : "******";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }
}
