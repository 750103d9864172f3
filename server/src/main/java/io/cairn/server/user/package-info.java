/**
 * Accounts, roles and credentials.
 * <ul>
 *   <li><b>Role</b>: ADMIN (everything), OPERATOR (run backups and restores, manage sources and
 *       schedules), VIEWER (read only). Each role includes the ones below it.</li>
 *   <li><b>Setup</b>: the first admin account. One-shot and race-safe: the {@code setup} table holds at
 *       most one row (a primary key fixed to 1), inserted in the same transaction as the admin.</li>
 *   <li><b>Password</b>: Argon2id at OWASP's parameters (19 MiB, 2 passes); 12 to 128 characters.</li>
 *   <li><b>Login throttle</b>: after a few failures per account or per client address each further
 *       attempt waits twice as long, up to a ceiling; nothing locks an account forever.</li>
 *   <li><b>API token</b>: a random secret shown once and stored only as a SHA-256 hash. Personal tokens
 *       live until revoked; an API login ({@code POST /api/v1/auth/login}) issues a short-lived access
 *       token and a rotating refresh token. Disabling a user or changing a password ends that user's
 *       web sessions and API logins.</li>
 * </ul>
 * {@link io.cairn.server.user.UserService} and {@link io.cairn.server.user.ApiTokenService} are the
 * feature's API; the HTML and JSON controllers both call them.
 */
package io.cairn.server.user;
