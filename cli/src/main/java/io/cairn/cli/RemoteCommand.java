package io.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.engine.repository.RepositoryException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn remote ...}: the same backups through a running Cairn server (its REST API), for scripts
 * and terminals: start a backup of a configured source and follow it to the end, list backups, show
 * the status. The server is {@code --server URL} or {@code $CAIRN_SERVER}; the API token comes from
 * {@code $CAIRN_TOKEN} or {@code --token-file} (never an argument: it would show in {@code ps}).
 */
@Command(name = "remote", description = "Work with a running Cairn server: start and follow backups, list them.",
        subcommands = {RemoteCommand.Backup.class, RemoteCommand.ListBackups.class, RemoteCommand.Status.class})
final class RemoteCommand {

    static final int EXIT_UNREACHABLE = 20;
    static final int EXIT_UNAUTHORIZED = 21;

    /** Where the server is and how to sign in; shared by the subcommands. */
    static final class ServerOptions {
        @Option(names = "--server", paramLabel = "URL", description = "The server. Default: $CAIRN_SERVER, else http://localhost:8080.")
        String server;

        @Option(names = "--token-file", paramLabel = "FILE", description = "Read the API token from FILE. Default: $CAIRN_TOKEN.")
        Path tokenFile;

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        String base() {
            String s = server != null ? server : System.getenv("CAIRN_SERVER");
            s = s == null || s.isBlank() ? "http://localhost:8080" : s.trim();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }

        String token() throws IOException {
            String t = tokenFile != null ? Files.readString(tokenFile).trim() : System.getenv("CAIRN_TOKEN");
            if (t == null || t.isBlank()) {
                throw new RepositoryException("no API token: create one on your account page in the dashboard, then set "
                        + "CAIRN_TOKEN or use --token-file", EXIT_UNAUTHORIZED);
            }
            return t.trim();
        }

        JsonNode call(String method, String path, String json) throws IOException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token()).header("Accept", "application/json");
            b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new RepositoryException("cannot reach the Cairn server at " + base() + ": is it running? "
                        + "Check --server / CAIRN_SERVER", EXIT_UNREACHABLE, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            JsonNode body = r.body().isBlank() ? Output.JSON.createObjectNode() : Output.JSON.readTree(r.body());
            if (r.statusCode() == 401) {
                throw new RepositoryException("the server refused the API token (unknown, expired or revoked): "
                        + body.path("detail").asText(), EXIT_UNAUTHORIZED);
            }
            if (r.statusCode() == 403) {
                throw new RepositoryException("your role does not allow this: " + body.path("detail").asText(),
                        EXIT_UNAUTHORIZED);
            }
            if (r.statusCode() >= 400) {
                throw new RepositoryException("the server answered " + r.statusCode() + ": "
                        + body.path("detail").asText(body.toString()), RepositoryException.EXIT_FAILURE);
            }
            return body;
        }
    }

    @Command(name = "backup", description = "Start a backup of a source on the server and follow it to the end.")
    static final class Backup implements Callable<Integer> {
        @Mixin
        ServerOptions server;
        @Mixin
        Output output;

        @Parameters(paramLabel = "SOURCE", description = "The source's name (as on the Sources page) or its id.")
        String source;

        @Option(names = "--full", description = "Re-read everything instead of trusting the previous backup.")
        boolean full;

        @Option(names = "--verify", description = "Read the new snapshot back in full afterwards.")
        boolean verify;

        @Option(names = "--no-wait", description = "Return once the backup is queued.")
        boolean noWait;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            if (source.matches("[0-9]+")) {
                body.put("sourceId", Long.parseLong(source));
            } else {
                body.put("sourceName", source);
            }
            body.put("type", full ? "FULL" : "INCREMENTAL");
            body.put("verify", verify);
            JsonNode started = server.call("POST", "/api/v1/backup/trigger?cli=true", Output.JSON.writeValueAsString(body));
            JsonNode backup = started.path("backups").path(0);
            long id = backup.path("id").asLong();
            if (output.json()) {
                output.json(Map.of("message_type", "queued", "id", id, "source", backup.path("sourceName").asText()));
            } else {
                output.text("backup #" + id + " of " + backup.path("sourceName").asText() + " queued");
            }
            if (noWait) {
                return 0;
            }
            String last = "";
            while (true) {
                backup = server.call("GET", "/api/v1/backup/" + id, null);
                String status = backup.path("status").asText();
                String line = status + " " + backup.path("phase").asText("") + " " + Output.bytes(backup.path("bytesRead").asLong());
                if (output.json()) {
                    if (!line.equals(last)) {
                        output.json(Map.of("message_type", "status", "id", id, "status", status,
                                "phase", backup.path("phase").asText(""), "bytes_read", backup.path("bytesRead").asLong(),
                                "bytes_added", backup.path("bytesAdded").asLong()));
                    }
                } else if (!line.equals(last)) {
                    output.text("  " + line.trim());
                }
                last = line;
                if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                    break;
                }
                Thread.sleep(1000);
            }
            String status = backup.path("status").asText();
            if (output.json()) {
                output.json(Map.of("message_type", "summary", "id", id, "status", status,
                        "snapshot_id", backup.path("snapshotId").asText(""), "error", backup.path("error").asText(""),
                        "bytes_read", backup.path("bytesRead").asLong(), "bytes_added", backup.path("bytesAdded").asLong(),
                        "duration_seconds", backup.path("durationSeconds").asLong()));
            } else if (status.equals("SUCCEEDED")) {
                output.text("backup #" + id + " succeeded: snapshot " + backup.path("snapshotId").asText().substring(0, 8)
                        + ", " + Output.bytes(backup.path("bytesRead").asLong()) + " read, "
                        + Output.bytes(backup.path("bytesAdded").asLong()) + " new, in "
                        + backup.path("durationSeconds").asLong() + " s");
            } else {
                System.err.println("backup #" + id + " " + status.toLowerCase() + ": " + backup.path("error").asText());
            }
            return status.equals("SUCCEEDED") ? 0 : RepositoryException.EXIT_FAILURE;
        }
    }

    @Command(name = "list", description = "List the server's backups, newest first.")
    static final class ListBackups implements Callable<Integer> {
        @Mixin
        ServerOptions server;
        @Mixin
        Output output;

        @Option(names = "--source", paramLabel = "ID", description = "Only this source's backups.")
        Long sourceId;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.")
        String status;

        @Option(names = "--limit", description = "At most this many (default ${DEFAULT-VALUE}).", defaultValue = "20")
        int limit;

        @Override
        public Integer call() throws Exception {
            StringBuilder q = new StringBuilder("/api/v1/backup/list?size=" + Math.max(1, Math.min(limit, 500)));
            if (sourceId != null) {
                q.append("&source=").append(sourceId);
            }
            if (status != null) {
                q.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
            }
            JsonNode page = server.call("GET", q.toString(), null);
            for (JsonNode b : page.path("items")) {
                if (output.json()) {
                    output.json(b);
                } else {
                    output.text(String.format(java.util.Locale.ROOT, "#%-6d %-10s %-24s %-12s %10s  %s", b.path("id").asLong(),
                            b.path("status").asText(), b.path("sourceName").asText(), b.path("type").asText().toLowerCase(),
                            Output.bytes(b.path("bytesRead").asLong()), b.path("queuedAt").asText()));
                }
            }
            output.text(page.path("total").asLong() + " backups in all");
            return 0;
        }
    }

    @Command(name = "status", description = "The server's backup status: running jobs and each source's health.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ServerOptions server;
        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            JsonNode s = server.call("GET", "/api/v1/backup/status", null);
            if (output.json()) {
                output.json(s);
                return 0;
            }
            output.text("status " + s.path("status").asText() + ": " + s.path("running").asInt() + " running, "
                    + s.path("queued").asInt() + " queued, " + s.path("sources").asInt() + " sources");
            for (JsonNode src : s.path("sourcesState")) {
                output.text(String.format(java.util.Locale.ROOT, "  %-8s %-24s last success %s", src.path("health").asText(),
                        src.path("name").asText(), src.path("lastSuccessAt").asText("never")));
            }
            return 0;
        }
    }
}
