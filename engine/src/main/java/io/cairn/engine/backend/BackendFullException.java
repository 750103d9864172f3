package io.cairn.engine.backend;

import java.io.IOException;

/** The storage has no space left; nothing partial was left behind. */
public class BackendFullException extends IOException {
    public BackendFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
