/**
 * What is protected and how well: the pages that look across features — the dashboard (health, today's
 * backups, success rate, storage, protected sources), the Sources list with each source's last backup,
 * and a source's page (summary, performance, analytics). Read-only: it calls the other features' services
 * and changes nothing.
 */
package io.cairn.server.overview;
