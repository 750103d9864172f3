package io.cairn.server.source;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.problem.ProblemException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Projects: groups of sources backed up together. Deleting a project keeps its sources. */
@Service
public class ProjectService {

    private final Projects projects;
    private final AuditLog audit;
    private final Clock clock;

    public ProjectService(Projects projects, AuditLog audit, Clock clock) {
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Project> list() {
        return projects.list();
    }

    public Project get(ProjectId id) {
        return projects.find(id).orElseThrow(() -> ProblemException.notFound("There is no project with id " + id + "."));
    }

    @Transactional
    public Project create(String name, String description) {
        String n = check(name, description, null);
        ProjectId id = projects.insert(n, blankToNull(description), clock.instant());
        audit.record(AuditAction.PROJECT_CREATED, "project " + n, AuditOutcome.SUCCESS, null);
        return get(id);
    }

    @Transactional
    public Project update(ProjectId id, String name, String description) {
        get(id);
        String n = check(name, description, id);
        projects.update(id, n, blankToNull(description), clock.instant());
        audit.record(AuditAction.PROJECT_UPDATED, "project " + n, AuditOutcome.SUCCESS, null);
        return get(id);
    }

    @Transactional
    public void delete(ProjectId id) {
        Project p = get(id);
        projects.delete(id);
        audit.record(AuditAction.PROJECT_DELETED, "project " + p.name(), AuditOutcome.SUCCESS,
                "its sources stay, without a project");
    }

    private String check(String name, String description, ProjectId self) {
        Map<String, String> errors = new LinkedHashMap<>();
        String n = name == null ? "" : name.trim();
        if (n.isEmpty()) {
            errors.put("name", "Give the project a name, for example the application's.");
        } else if (n.length() > 80 || !n.matches("[\\p{L}\\p{N}][\\p{L}\\p{N} ._()-]*")) {
            errors.put("name", "Use up to 80 letters, digits, spaces, '.', '-', '_' or brackets.");
        } else if (projects.findByName(n).filter(p -> !p.id().equals(self)).isPresent()) {
            errors.put("name", "A project with this name exists; choose another name.");
        }
        if (description != null && description.length() > 500) {
            errors.put("description", "Use at most 500 characters.");
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return n;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
