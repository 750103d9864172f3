package io.cairn.server.source;

import io.cairn.dumps.TlsMode;

import io.cairn.engine.blob.Compression;
import java.util.Arrays;
import java.util.List;

/**
 * The source form's fields as the browser posts them (text boxes; include and exclude patterns one per
 * line). The password box is always empty on the page: leaving it empty keeps the stored password.
 */
public record SourceForm(String name, String type, String projectId, String host, String port, String database,
                         String username, String password, String clearPassword, String tlsMode, String path,
                         String includes, String excludes, String compression) {

    static SourceForm empty(SourceType type) {
        return new SourceForm("", type.name(), "", "", type.defaultPort() > 0 ? String.valueOf(type.defaultPort()) : "",
                "", "", "", null, TlsMode.PREFER.name(), "", "", "", Compression.DEFAULT.name());
    }

    static SourceForm of(Source s) {
        return new SourceForm(s.name(), s.type().name(), s.projectId() == null ? "" : s.projectId().toString(),
                nz(s.host()), s.port() == null ? "" : s.port().toString(), nz(s.database()), nz(s.username()), "", null,
                s.tlsMode().name(), nz(s.path()), String.join("\n", s.includes()), String.join("\n", s.excludes()),
                s.compression().name());
    }

    /** The request the service takes; unparseable numbers and choices become field errors there. */
    SourceRequest toRequest(java.util.Map<String, String> errors) {
        SourceType t = parseEnum(SourceType.class, type, "type", errors);
        Integer p = null;
        if (port != null && !port.isBlank()) {
            try {
                p = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                errors.put("port", "Use a number between 1 and 65535.");
            }
        }
        Long project = null;
        if (projectId != null && !projectId.isBlank()) {
            try {
                project = Long.parseLong(projectId.trim());
            } catch (NumberFormatException e) {
                errors.put("projectId", "Choose a project from the list.");
            }
        }
        return new SourceRequest(name, t, project, null, host, p, database, username,
                password == null || password.isEmpty() ? null : password, "on".equals(clearPassword) || "true".equals(clearPassword),
                parseEnum(TlsMode.class, tlsMode, "tlsMode", errors), path, lines(includes), lines(excludes),
                parseEnum(Compression.class, compression, "compression", errors));
    }

    private static List<String> lines(String s) {
        return s == null ? List.of() : Arrays.stream(s.split("\\R")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String field,
                                                   java.util.Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim());
        } catch (IllegalArgumentException e) {
            errors.put(field, "Choose one of the listed options.");
            return null;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        return "SourceForm[name=" + name + ", type=" + type + "]";
    }
}
