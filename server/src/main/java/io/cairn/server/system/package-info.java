/**
 * The server's own health and identity: metadata database, repositories, scheduler, version and
 * uptime. {@link io.cairn.server.system.SystemHealth} is the one service; the dashboard and
 * {@code GET /api/v1/health} both show what it reports.
 */
package io.cairn.server.system;
