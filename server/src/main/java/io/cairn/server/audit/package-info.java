/**
 * The audit log: who did what, when, from where, and whether it worked. Every login (success and
 * failure), every change of configuration, users and tokens, and every backup, restore, download and
 * deletion is recorded through {@link io.cairn.server.audit.AuditLog#record}. Entries are append-only;
 * secrets (passwords, tokens, keys) never go into them — callers pass names and ids, not values.
 * Admins search the log on the Audit page and export it as CSV or JSON.
 */
package io.cairn.server.audit;
