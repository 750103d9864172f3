package io.cairn.server.source;

import java.time.Instant;

/** Sources that belong together. */
public record Project(ProjectId id, String name, String description, Instant createdAt, Instant updatedAt) {
}
