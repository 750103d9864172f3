package io.cairn.server.source;

import io.cairn.engine.blob.Compression;
import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.ManagedRepository;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.secret.SecretBox;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sources: create, change, delete, list; their passwords sealed at rest and handed out only to the
 * code that connects. Every change is audited, without the password.
 */
@Service
public class SourceService {

    private final Sources sources;
    private final Projects projects;
    private final RepositoryService repositories;
    private final SecretBox secrets;
    private final AuditLog audit;
    private final Clock clock;

    public SourceService(Sources sources, Projects projects, RepositoryService repositories, SecretBox secrets,
                         AuditLog audit, Clock clock) {
        this.sources = sources;
        this.projects = projects;
        this.repositories = repositories;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Source> list() {
        return sources.list();
    }

    public List<Source> listByProject(ProjectId project) {
        return sources.listByProject(project);
    }

    public Source get(SourceId id) {
        return sources.find(id).orElseThrow(() -> ProblemException.notFound("There is no source with id " + id + "."));
    }

    public Optional<Source> findByName(String name) {
        return sources.findByName(name);
    }

    @Transactional
    public Source create(SourceRequest request) {
        SourceValidation.Checked c = SourceValidation.check(request);
        if (sources.findByName(c.name()).isPresent()) {
            throw ProblemException.invalid("name", "A source with this name exists; choose another name.");
        }
        Long project = projectOf(request);
        long repository = repositoryOf(request);
        SourceId id = sources.insert(c, project, repository, compressionOf(request), clock.instant());
        if (c.type().isNetwork() && request.password() != null && !request.password().isEmpty()) {
            sources.updatePassword(id, secrets.seal(request.password(), purpose(id)));
        }
        audit.record(AuditAction.SOURCE_CREATED, "source " + c.name(), AuditOutcome.SUCCESS, describe(get(id)));
        return get(id);
    }

    @Transactional
    public Source update(SourceId id, SourceRequest request) {
        Source before = get(id);
        SourceValidation.Checked c = SourceValidation.check(request);
        Optional<Source> sameName = sources.findByName(c.name());
        if (sameName.isPresent() && !sameName.get().id().equals(id)) {
            throw ProblemException.invalid("name", "A source with this name exists; choose another name.");
        }
        if (c.type() != before.type()) {
            throw ProblemException.invalid("type", "The type of a source cannot change; create a new source instead.");
        }
        sources.update(id, c, projectOf(request), repositoryOf(request), compressionOf(request), clock.instant());
        String passwordChange = "";
        if (Boolean.TRUE.equals(request.clearPassword()) || !c.type().isNetwork()) {
            sources.updatePassword(id, null);
            passwordChange = before.passwordSet() ? "; password removed" : "";
        } else if (request.password() != null && !request.password().isEmpty()) {
            sources.updatePassword(id, secrets.seal(request.password(), purpose(id)));
            passwordChange = "; password changed";
        }
        audit.record(AuditAction.SOURCE_UPDATED, "source " + c.name(), AuditOutcome.SUCCESS,
                describe(get(id)) + passwordChange);
        return get(id);
    }

    @Transactional
    public void delete(SourceId id) {
        Source source = get(id);
        sources.delete(id);
        audit.record(AuditAction.SOURCE_DELETED, "source " + source.name(), AuditOutcome.SUCCESS,
                "its backups stay in the repository");
    }

    /** The source's password, for the code that connects; empty if none is set. Never log it. */
    public Optional<String> password(SourceId id) {
        return sources.sealedPassword(id).map(sealed -> secrets.open(sealed, purpose(id)));
    }

    private Long projectOf(SourceRequest request) {
        if (request.projectId() == null) {
            return null;
        }
        if (projects.find(new ProjectId(request.projectId())).isEmpty()) {
            throw ProblemException.invalid("projectId", "There is no project with id " + request.projectId() + ".");
        }
        return request.projectId();
    }

    private long repositoryOf(SourceRequest request) {
        if (request.repositoryId() == null) {
            List<ManagedRepository> all = repositories.list();
            if (all.isEmpty()) {
                throw ProblemException.conflict("There is no repository to back up into; see the Repositories page.");
            }
            return all.get(0).id().value();
        }
        try {
            return repositories.get(new RepositoryId(request.repositoryId())).id().value();
        } catch (ProblemException e) {
            throw ProblemException.invalid("repositoryId", "There is no repository with id " + request.repositoryId() + ".");
        }
    }

    private static Compression compressionOf(SourceRequest request) {
        return request.compression() == null ? Compression.DEFAULT : request.compression();
    }

    static String describe(Source s) {
        return s.type().label() + " " + s.location();
    }

    private static String purpose(SourceId id) {
        return "source-password:" + id.value();
    }
}
