package io.cairn.engine.backend;

import java.io.IOException;

/** An object with this name already exists; objects are immutable and never overwritten. */
public class FileAlreadyExistsException extends IOException {
    public FileAlreadyExistsException(FileHandle handle, String location) {
        super("object " + handle + " already exists in " + location + " (objects are never overwritten)");
    }
}
