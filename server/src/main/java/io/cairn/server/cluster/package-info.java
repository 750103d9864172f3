/**
 * Servers sharing one metadata database (docs/adr/0013-server-nodes-and-takeover.md).
 * <ul>
 *   <li><b>Node</b>: one running Cairn server, named by {@code cairn.cluster.node-name} (default: host name and
 *       HTTP port). It registers at start, beats every {@code cairn.cluster.heartbeat-interval}, and records a
 *       clean stop.</li>
 *   <li><b>Alive</b>: a node that has not stopped and beat within {@code cairn.cluster.dead-after}. With the
 *       default SQLite metadata database only this server is ever alive: SQLite is not shared between
 *       servers.</li>
 *   <li><b>Orphaned work</b>: a backup, restore or prune recorded as running on a node that is no longer
 *       alive (or on this node's name by a previous process). The feature that owns it settles it: a backup
 *       with its snapshot written is SUCCEEDED, else FAILED and retried once; a restore or a prune FAILED
 *       with what to check.</li>
 * </ul>
 * {@link io.cairn.server.cluster.ClusterMembership} is the package's API.
 */
package io.cairn.server.cluster;
