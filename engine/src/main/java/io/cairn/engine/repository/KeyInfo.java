package io.cairn.engine.repository;

/** A key as listed by {@code cairn key list}: never its secret. */
public record KeyInfo(String id, boolean current, String created, String hostname, String username, String kdf,
                      int memoryKiB, int iterations, int parallelism) {
}
