package io.cairn.server.system;

import java.util.Map;

/**
 * The health of one part of the server.
 *
 * @param status  UP, DEGRADED, DOWN or UNKNOWN
 * @param message a sentence for people (what is fine, or what is wrong and what to do)
 * @param details figures for dashboards (free bytes, latency…); never secrets
 */
public record ComponentHealth(String name, String status, String message, Map<String, Object> details) {
}
