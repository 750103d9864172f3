package io.cairn.engine.backend;

/** One listed object and its size in bytes. */
public record FileInfo(FileHandle handle, long size) {
}
