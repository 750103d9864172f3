/**
 * Secrets at rest. The server's <b>secret key</b> (32 random bytes) lives outside the metadata
 * database: in a key file (mode 0600, default {@code <data-dir>/secret.key}) or in the
 * {@code CAIRN_SECRET_KEY} environment variable. {@link io.cairn.server.secret.SecretBox} seals every
 * secret the database holds (repository passwords, later database credentials) with AES-256-GCM
 * under that key, binding each sealed value to its purpose so one cannot be swapped for another.
 * A copy of the database alone reveals no secret; losing the key file loses the sealed secrets, which
 * is why the repository password is also handed to the admin once as a recovery kit.
 */
package io.cairn.server.secret;
