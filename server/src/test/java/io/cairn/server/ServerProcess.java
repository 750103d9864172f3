package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real {@code cairn server} in its own JVM (the test's class path), for tests that kill a server with
 * SIGKILL — which an in-process Spring context cannot be. Its output goes to a log file that failures quote.
 */
public final class ServerProcess {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServerProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts a server on a free loopback port with {@code --name=value} Spring arguments, and waits until
     * {@code GET /api/v1/health} answers 200.
     */
    public static ServerProcess start(String name, Path logDir, List<String> springArgs) throws Exception {
        int port = freePort();
        Path log = logDir.resolve(name + "-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CairnServer.class.getName(), "--server.port=" + port, "--server.address=127.0.0.1"));
        command.addAll(springArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(name, port, log, process);
        server.awaitHealthy(Duration.ofSeconds(120));
        return server;
    }

    public String name() {
        return name;
    }

    public TestHttp http() {
        return new TestHttp(port);
    }

    /** Signs in through the API and returns an access token. */
    public String accessToken(String username, String password) {
        HttpResponse<String> login = http().postJson("/api/v1/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return JSON.readTree(login.body()).get("accessToken").asText();
    }

    /** SIGKILL: no shutdown hook, no clean stop; waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited; its log:\n" + log());
            }
            try {
                if (http().get("/api/v1/health").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not answer /api/v1/health within " + timeout.toSeconds() + " s; its log:\n"
                + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
