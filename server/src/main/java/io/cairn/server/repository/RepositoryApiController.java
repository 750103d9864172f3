package io.cairn.server.repository;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Managed repositories and their status. Passwords never appear here. */
@RestController
@RequestMapping("/api/v1/repositories")
@Tag(name = "Repositories")
public class RepositoryApiController {

    private final RepositoryService repositories;

    public RepositoryApiController(RepositoryService repositories) {
        this.repositories = repositories;
    }

    public record RepositoryView(long id, String name, String kind, String location, Instant createdAt, String status,
                                 String message, long freeBytes, long totalBytes, Instant checkedAt,
                                 boolean recoveryKitStored) {
        static RepositoryView of(RepositoryStatus s) {
            ManagedRepository r = s.repository();
            return new RepositoryView(r.id().value(), r.name(), r.kind(), r.location(), r.createdAt(), s.state(),
                    s.message(), s.freeBytes(), s.totalBytes(), s.checkedAt(), r.recoveryKitSeenAt() != null);
        }
    }

    @GetMapping
    @Operation(summary = "List repositories with their status and free space")
    public List<RepositoryView> list() {
        return repositories.statuses().stream().map(RepositoryView::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One repository with its status")
    public RepositoryView get(@PathVariable long id) {
        return RepositoryView.of(repositories.status(repositories.get(new RepositoryId(id))));
    }
}
