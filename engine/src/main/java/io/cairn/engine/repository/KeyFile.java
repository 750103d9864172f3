package io.cairn.engine.repository;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A {@code keys/<id>} object (plain JSON): the master key sealed under a key derived from one
 * password with Argon2id. Several key files may exist; any one opens the repository.
 *
 * @param cairn    format marker, always 1
 * @param kdf      "argon2id"
 * @param memoryKiB Argon2 memory cost in KiB
 * @param iterations Argon2 time cost
 * @param parallelism Argon2 lanes
 * @param salt     base64 of the 32-byte Argon2 salt
 * @param created  ISO-8601 creation time
 * @param hostname host the key was created on
 * @param username user who created it
 * @param data     base64 of seal(aad = "cairn/v1/keys/" + id, master key bytes) under the derived key
 */
@JsonPropertyOrder({"cairn", "kdf", "memoryKiB", "iterations", "parallelism", "salt", "created", "hostname", "username",
        "data"})
public record KeyFile(int cairn, String kdf, int memoryKiB, int iterations, int parallelism, String salt,
                      String created, String hostname, String username, String data) {
}
