/**
 * The web edge shared by every feature: the security configuration and its one role table
 * ({@link io.cairn.server.web.RouteAccess}: a route without a rule is denied), bearer-token sign-in,
 * the first-run setup gate, problem details (RFC 9457) for every API error, security headers, the
 * page layout's model (navigation, signed-in user, theme) and the sections still to come.
 */
package io.cairn.server.web;
