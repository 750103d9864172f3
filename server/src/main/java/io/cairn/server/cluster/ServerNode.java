package io.cairn.server.cluster;

import java.time.Instant;

/**
 * A server as the {@code cluster_nodes} table knows it.
 *
 * @param instance    random per process: a new value under the same name is a restart
 * @param heartbeatAt when it last said it was alive
 * @param stoppedAt   when it stopped cleanly, or null
 */
public record ServerNode(String name, String instance, String version, Instant startedAt, Instant heartbeatAt,
                         Instant stoppedAt) {
}
