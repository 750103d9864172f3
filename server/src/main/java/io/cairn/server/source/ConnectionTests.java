package io.cairn.server.source;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.springframework.stereotype.Service;

/**
 * "Test connection": whether Cairn can read a source right now, answered in plain words. Files are
 * checked here; databases through their dump adapter ({@link DatabaseConnections}).
 */
@Service
public class ConnectionTests {

    /**
     * @param ok      whether a backup would be able to read the source
     * @param status  OK, or what kind of problem (WRONG_PASSWORD, HOST_UNREACHABLE, DATABASE_MISSING, TOOL_MISSING,
     *                VERSION_MISMATCH, TLS_FAILED, PERMISSION_DENIED, NOT_FOUND, OTHER)
     * @param message what was found, or what is wrong and what to do
     * @param version the database server's version, when it answered
     */
    public record Result(boolean ok, String status, String message, String version) {
    }

    private final SourceService sources;
    private final DatabaseConnections databases;
    private final AuditLog audit;

    public ConnectionTests(SourceService sources, DatabaseConnections databases, AuditLog audit) {
        this.sources = sources;
        this.databases = databases;
        this.audit = audit;
    }

    public Result test(SourceId id) {
        Source source = sources.get(id);
        Result result = source.type().isDatabase() ? databases.test(source) : testPath(source);
        audit.record(AuditAction.SOURCE_TESTED, "source " + source.name(),
                result.ok() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, result.status());
        return result;
    }

    private static Result testPath(Source source) {
        Path p = Path.of(source.path());
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return new Result(false, "NOT_FOUND", p + " does not exist on the server. Check the path.", null);
        }
        if (!Files.isReadable(p)) {
            return new Result(false, "PERMISSION_DENIED", p + " exists, but the user the server runs as cannot read it. "
                    + "Give that user read access, or run the server as a user that has it.", null);
        }
        return new Result(true, "OK", p + (Files.isDirectory(p) ? " is a readable folder." : " is a readable file."), null);
    }
}
