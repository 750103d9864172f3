/**
 * Errors as values a user can act on. Services throw {@link io.cairn.server.problem.ProblemException}
 * (what failed, why, what to do next, and which form fields were wrong); the web layer renders it as
 * RFC 9457 problem details on the API and as the same words on the page.
 */
package io.cairn.server.problem;
