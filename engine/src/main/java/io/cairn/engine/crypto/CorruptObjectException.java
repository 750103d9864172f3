package io.cairn.engine.crypto;

/**
 * An object failed authentication or could not be decoded: its bytes were changed, truncated, or
 * it belongs to another repository or another place in this one. Never returned as data.
 */
public class CorruptObjectException extends RuntimeException {
    public CorruptObjectException(String message) {
        super(message);
    }

    public CorruptObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
