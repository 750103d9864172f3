package io.cairn.server.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import io.cairn.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit entries as CSV (RFC 4180, UTF-8, header row; cells that a spreadsheet would run as a
 * formula are prefixed with an apostrophe) or as a JSON array, streaming.
 */
final class AuditExport {

    private AuditExport() {
    }

    /**
     * Answers an export request: checks the filter and format, audits the export, sets the download
     * headers and streams the entries.
     */
    static void respond(AuditLog log, AuditQueryParams filter, String format, String via, Clock clock,
                        HttpServletResponse response, JsonMapper mapper) throws IOException {
        AuditQuery query = filter.toQuery();
        if (!format.equals("csv") && !format.equals("json")) {
            throw ProblemException.invalid("format", "Use csv or json.");
        }
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        log.record(AuditAction.AUDIT_EXPORTED, null, AuditOutcome.SUCCESS, format.toUpperCase() + " export" + via);
        response.setHeader("Content-Disposition", "attachment; filename=\"cairn-audit-" + stamp + "." + format + "\"");
        response.setHeader("Cache-Control", "no-store");
        if (format.equals("csv")) {
            response.setContentType("text/csv;charset=UTF-8");
            csv(log, query, response.getOutputStream());
        } else {
            response.setContentType("application/json");
            json(log, query, response.getOutputStream(), mapper);
        }
    }

    static void csv(AuditLog log, AuditQuery query, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("id,time,actor,action,target,outcome,details,client_ip\r\n");
        try {
            log.export(query, e -> {
                try {
                    w.write(e.id() + "," + DateTimeFormatter.ISO_INSTANT.format(e.at()) + "," + cell(e.actor()) + ","
                            + cell(e.action()) + "," + cell(e.target()) + "," + e.outcome() + "," + cell(e.details())
                            + "," + cell(e.clientIp()) + "\r\n");
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        w.flush();
    }

    static void json(AuditLog log, AuditQuery query, OutputStream out, JsonMapper mapper) throws IOException {
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartArray();
            log.export(query, e -> mapper.writeValue(g, e));
            g.writeEndArray();
        }
    }

    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
