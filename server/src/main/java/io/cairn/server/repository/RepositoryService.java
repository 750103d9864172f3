package io.cairn.server.repository;

import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.config.CairnProperties;
import io.cairn.server.config.StartupProblem;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.secret.SecretBox;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The managed repositories: creates the default one on first start, reports their status (reachable,
 * free space, whether the stored password opens them), opens them for jobs, and hands out the
 * recovery kit.
 */
@Service
public class RepositoryService {

    private static final Logger log = LoggerFactory.getLogger(RepositoryService.class);
    /** Below this share of free space a repository is reported as DEGRADED. */
    static final int LOW_SPACE_PERCENT = 10;

    private final ManagedRepositories repositories;
    private final SecretBox secrets;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final TransactionTemplate tx;
    private final CairnProperties properties;
    private final Map<RepositoryId, Verification> verifications = new ConcurrentHashMap<>();
    private final Map<RepositoryId, UsedSpace> usedSpace = new ConcurrentHashMap<>();
    /** What each repository's stored password unlocked (in memory only), so opens skip the key derivation. */
    private final Map<RepositoryId, Repository.Unlocked> unlocked = new ConcurrentHashMap<>();

    private record UsedSpace(long bytes, Instant at) {
    }

    /** How long a measured repository size is reused before walking the directory again. */
    static final java.time.Duration USED_SPACE_TTL = java.time.Duration.ofSeconds(60);
    private volatile String startupProblem;

    public RepositoryService(ManagedRepositories repositories, SecretBox secrets, AuditLog audit, Clock clock,
                             SecureRandom random, TransactionTemplate tx, CairnProperties properties) {
        this.repositories = repositories;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.tx = tx;
        this.properties = properties;
    }

    private record Verification(boolean ok, String message, Instant at) {
    }

    public List<ManagedRepository> list() {
        return repositories.list();
    }

    public ManagedRepository get(RepositoryId id) {
        return repositories.find(id)
                .orElseThrow(() -> ProblemException.notFound("There is no repository with id " + id + "."));
    }

    /**
     * Creates the default local repository if the server has none: a generated password, sealed in
     * the database, and a new repository on disk, in one transaction (a failed init leaves no row).
     * If the location already holds a repository this server has no password for, nothing is created
     * and the problem is reported by {@link #problem()} and the health check.
     */
    public void ensureDefaultRepository() {
        if (!repositories.list().isEmpty()) {
            return;
        }
        Path location = properties.resolvedRepositoryLocation();
        LocalBackend backend = new LocalBackend(location);
        try {
            if (backend.exists(FileHandle.CONFIG)) {
                startupProblem = "A repository already exists at " + location + ", but this server's database has no "
                        + "password for it. Move it aside (the server then creates a new one), or set "
                        + "cairn.default-repository.location to an empty directory.";
                log.error(startupProblem);
                return;
            }
        } catch (IOException e) {
            startupProblem = "The repository location " + location + " cannot be read: " + e.getMessage();
            log.error(startupProblem);
            return;
        }
        String password = generatePassword();
        String name = properties.defaultRepository().name();
        tx.executeWithoutResult(status -> {
            Instant now = clock.instant();
            RepositoryId id = repositories.insert(name, "LOCAL", location.toString(), now);
            repositories.updateSealedPassword(id, secrets.seal(password, purpose(id)));
            try (Repository repo = Repository.init(backend, password.toCharArray(), Repository.InitOptions.defaults(),
                    clock)) {
                log.info("Created the repository \"{}\" at {}", name, location);
            } catch (IOException | RepositoryException e) {
                throw new StartupProblem("Cannot create the repository at " + location + ": " + e.getMessage(),
                        "Check the directory's permissions and free space, or set cairn.default-repository.location.", e);
            }
            audit.recordAs(AuditLog.SYSTEM, AuditAction.REPOSITORY_INITIALIZED, "repository " + name,
                    AuditOutcome.SUCCESS, "local repository at " + location);
            verifications.put(id, new Verification(true, "Created; opens with its stored password.", now));
        });
    }

    /** A problem found at start that keeps the default repository from working, or null. */
    public String problem() {
        return startupProblem;
    }

    /** Opens each repository once with its stored password, to report whether it still works. */
    public void verifyAll() {
        for (ManagedRepository repo : repositories.list()) {
            verify(repo);
        }
    }

    private void verify(ManagedRepository repo) {
        Instant now = clock.instant();
        try (Repository opened = openWithPassword(repo)) {
            unlocked.put(repo.id(), opened.unlocked());
            verifications.put(repo.id(), new Verification(true, "Opens with its stored password.", now));
        } catch (RepositoryException e) {
            verifications.put(repo.id(), new Verification(false, e.getMessage(), now));
        } catch (IOException | RuntimeException e) {
            verifications.put(repo.id(), new Verification(false, "Cannot open it: " + e.getMessage(), now));
        }
    }

    /**
     * Opens a repository for a job or a browse; the caller closes it. The first open derives the key from
     * the stored password (Argon2id, about 0.2-0.3 s and 19-46 MiB); later ones reuse what it unlocked, until the
     * key file it matched is removed from the repository, when the stored password decides again.
     */
    public Repository open(RepositoryId id) throws IOException {
        ManagedRepository repo = get(id);
        Repository.Unlocked known = unlocked.get(id);
        if (known != null) {
            try {
                return Repository.open(new LocalBackend(Path.of(repo.location())), known, clock);
            } catch (RepositoryException e) {
                if (e.exitCode() != RepositoryException.EXIT_WRONG_PASSWORD) {
                    throw e;
                }
                unlocked.remove(id, known);
            }
        }
        Repository opened;
        try {
            opened = openWithPassword(repo);
        } catch (RepositoryException e) {
            if (e.exitCode() == RepositoryException.EXIT_WRONG_PASSWORD) {
                verifications.put(id, new Verification(false, e.getMessage(), clock.instant()));
            }
            throw e;
        }
        unlocked.put(id, opened.unlocked());
        // The status follows what the last open with the stored password found (a key put back mends it).
        verifications.put(id, new Verification(true, "Opens with its stored password.", clock.instant()));
        return opened;
    }

    private Repository openWithPassword(ManagedRepository repo) throws IOException {
        String password = secrets.open(repositories.sealedPassword(repo.id()), purpose(repo.id()));
        try {
            return Repository.open(new LocalBackend(Path.of(repo.location())), password.toCharArray(), clock);
        } catch (RepositoryException e) {
            if (e.exitCode() != RepositoryException.EXIT_WRONG_PASSWORD) {
                throw e;
            }
            throw new RepositoryException("The password Cairn keeps for the repository \"" + repo.name() + "\" no longer"
                    + " opens it: its key was removed or changed outside Cairn. Add it back with the recovery kit's"
                    + " password: cairn key add --repo " + repo.location() + " (give the kit's password as the new one)",
                    RepositoryException.EXIT_WRONG_PASSWORD, e);
        }
    }

    /** Status without opening the repository: reachability and free space now, the last password check. */
    public RepositoryStatus status(ManagedRepository repo) {
        Path location = Path.of(repo.location());
        Verification v = verifications.get(repo.id());
        long free = -1;
        long total = -1;
        try {
            FileStore store = Files.getFileStore(location);
            free = store.getUsableSpace();
            total = store.getTotalSpace();
        } catch (IOException e) {
            return new RepositoryStatus(repo, "DOWN", "The repository directory " + location + " is not reachable: "
                    + e.getClass().getSimpleName() + ". Check that the disk is mounted.", free, total, null);
        }
        if (!Files.isRegularFile(location.resolve("config"))) {
            return new RepositoryStatus(repo, "DOWN", "There is no repository at " + location
                    + " any more (its config file is missing). Check the disk, or restore the directory.", free, total,
                    v == null ? null : v.at);
        }
        if (v != null && !v.ok) {
            return new RepositoryStatus(repo, "DOWN", v.message, free, total, v.at);
        }
        int pct = total > 0 ? (int) (100 * free / total) : 100;
        if (pct < LOW_SPACE_PERCENT) {
            return new RepositoryStatus(repo, "DEGRADED", "Only " + pct + "% free space left where the repository "
                    + "lives. Free some space or move the repository before backups fail.", free, total,
                    v == null ? null : v.at);
        }
        if (v == null) {
            return new RepositoryStatus(repo, "UNKNOWN", "Reachable; its password has not been checked yet.", free,
                    total, null);
        }
        return new RepositoryStatus(repo, "UP", "Reachable. " + v.message, free, total, v.at);
    }

    /** Bytes the repository takes on disk (measured at most once a minute); -1 if it cannot be read. */
    public long usedBytes(RepositoryId id) {
        Instant now = clock.instant();
        UsedSpace cached = usedSpace.get(id);
        if (cached != null && cached.at().plus(USED_SPACE_TTL).isAfter(now)) {
            return cached.bytes();
        }
        long total = -1;
        try (var files = Files.walk(Path.of(get(id).location()))) {
            total = files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("cannot measure the repository {}: {}", id, e.getMessage());
        }
        usedSpace.put(id, new UsedSpace(total, now));
        return total;
    }

    /** Forgets the measured size of a repository (a backup just changed it). */
    public void forgetUsedSpace(RepositoryId id) {
        usedSpace.remove(id);
    }

    public List<RepositoryStatus> statuses() {
        return repositories.list().stream().map(this::status).toList();
    }

    /** Repositories whose recovery kit no admin has confirmed storing yet. */
    public List<ManagedRepository> withRecoveryKitPending() {
        return repositories.list().stream().filter(r -> r.recoveryKitSeenAt() == null).toList();
    }

    /** The recovery kit of a repository, audited. Only for admins (the controllers' role rules say so). */
    public RecoveryKit recoveryKit(RepositoryId id) {
        ManagedRepository repo = get(id);
        String password = secrets.open(repositories.sealedPassword(id), purpose(id));
        audit.record(AuditAction.RECOVERY_KIT_VIEWED, "repository " + repo.name(), AuditOutcome.SUCCESS, null);
        return RecoveryKit.of(repo, password);
    }

    public void confirmRecoveryKitStored(RepositoryId id) {
        ManagedRepository repo = get(id);
        repositories.markRecoveryKitSeen(id, clock.instant());
        audit.record(AuditAction.RECOVERY_KIT_CONFIRMED, "repository " + repo.name(), AuditOutcome.SUCCESS, null);
    }

    private String generatePassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String purpose(RepositoryId id) {
        return "repository-password:" + id.value();
    }
}
