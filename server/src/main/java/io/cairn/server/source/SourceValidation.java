package io.cairn.server.source;

import io.cairn.dumps.TlsMode;

import io.cairn.server.problem.ProblemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules a source's fields must follow, per type, with messages a person can act on. Host names and
 * database names are restricted to what the databases allow and can never be read as an option of a
 * dump tool (no leading '-', no spaces or quotes); paths must be absolute and normalised.
 */
final class SourceValidation {

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._()-]{0,79}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]+]|[0-9A-Fa-f:]+");
    private static final Pattern SQL_DATABASE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_$.-]{0,62}");
    private static final Pattern MONGO_DATABASE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,62}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@$-]{0,62}");
    private static final int MAX_PATTERNS = 100;

    private SourceValidation() {
    }

    /** A request checked and completed with defaults; throws 400 with every wrong field named. */
    record Checked(String name, SourceType type, String host, Integer port, String database, String username,
                   TlsMode tlsMode, String path, List<String> includes, List<String> excludes) {
    }

    static Checked check(SourceRequest r) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = trim(r.name());
        if (name == null) {
            errors.put("name", "Give the source a name, for example \"shop database\".");
        } else if (!NAME.matcher(name).matches()) {
            errors.put("name", "Use up to 80 letters, digits, spaces, '.', '-', '_' or brackets.");
        }
        SourceType type = r.type();
        if (type == null) {
            errors.put("type", "Choose what to back up: POSTGRESQL, MYSQL, REDIS, MONGODB, SQLITE or PATH.");
            throw ProblemException.invalid(errors);
        }
        String host = null;
        Integer port = null;
        String database = trim(r.database());
        String username = trim(r.username());
        String path = null;
        List<String> includes = List.of();
        List<String> excludes = List.of();
        if (type.isNetwork()) {
            host = trim(r.host());
            if (host == null) {
                errors.put("host", "Enter the database server's host name or address.");
            } else if (!HOST.matcher(host).matches()) {
                errors.put("host", "Enter a host name (db.example.com) or an IP address, nothing else.");
            }
            port = r.port() == null ? type.defaultPort() : r.port();
            if (port < 1 || port > 65535) {
                errors.put("port", "Use a port between 1 and 65535.");
            }
            if (database != null) {
                boolean ok = switch (type) {
                    case REDIS -> database.matches("[0-9]{1,2}") && Integer.parseInt(database) <= 15;
                    case MONGODB -> MONGO_DATABASE.matcher(database).matches();
                    default -> SQL_DATABASE.matcher(database).matches();
                };
                if (!ok) {
                    errors.put("database", type == SourceType.REDIS ? "Use a database number from 0 to 15, or leave it "
                            + "empty for all." : "Use letters, digits, '_', '$', '.' or '-' (up to 63), not starting "
                            + "with '-', or leave it empty for all databases.");
                }
            }
            if (username == null && type.needsUser()) {
                errors.put("username", "Enter the user Cairn connects as (it needs read access to everything).");
            } else if (username != null && !USER.matcher(username).matches()) {
                errors.put("username", "Use letters, digits, '_', '.', '@', '$' or '-', not starting with '-'.");
            }
        } else {
            database = null;
            username = null;
            path = checkPath(trim(r.path()), type, errors);
            if (type == SourceType.PATH) {
                includes = patterns("includes", r.includes(), errors);
                excludes = patterns("excludes", r.excludes(), errors);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Checked(name, type, host, port, database, username,
                r.tlsMode() == null ? TlsMode.PREFER : r.tlsMode(), path, includes, excludes);
    }

    private static String checkPath(String raw, SourceType type, Map<String, String> errors) {
        String what = type == SourceType.SQLITE ? "the SQLite database file" : "the folder or file";
        if (raw == null) {
            errors.put("path", "Enter the full path of " + what + ", for example /srv/app.");
            return null;
        }
        if (raw.indexOf('\0') >= 0 || raw.length() > 4096) {
            errors.put("path", "This is not a path.");
            return null;
        }
        Path p = Path.of(raw);
        if (!p.isAbsolute()) {
            errors.put("path", "Use a full path starting with '/'.");
            return null;
        }
        for (Path part : p) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                errors.put("path", "Write the path without '.' or '..' parts.");
                return null;
            }
        }
        return p.normalize().toString();
    }

    private static List<String> patterns(String field, List<String> raw, Map<String, String> errors) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (String s : raw) {
            String t = trim(s);
            if (t == null) {
                continue;
            }
            if (t.indexOf('\0') >= 0 || t.length() > 500) {
                errors.put(field, "A pattern is too long or not text.");
                return out;
            }
            out.add(t);
        }
        if (out.size() > MAX_PATTERNS) {
            errors.put(field, "Use at most " + MAX_PATTERNS + " patterns.");
        }
        return out;
    }

    private static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
