package io.cairn.engine.backend;

import java.io.IOException;

/** The object does not exist in the backend. */
public class FileNotFoundInBackendException extends IOException {
    public FileNotFoundInBackendException(FileHandle handle, String location) {
        super("object " + handle + " not found in " + location);
    }
}
