package io.cairn.server.user;

/**
 * Published when a user's existing sign-ins must end: the account was disabled, its role changed,
 * or its password changed. Web sessions and API logins of that user end, except the web session
 * {@code keepSessionId} (the one in which the user changed their own password), if any.
 */
public record UserAccessRevoked(UserId userId, String keepSessionId, String reason) {
}
