package io.cairn.dumps.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/**
 * A private, real {@code redis-server} on a free loopback port with a password, in its own directory:
 * an RDB covers a whole server, so each test gets servers of its own instead of sharing 6379.
 */
final class RedisServerProcess implements AutoCloseable {
    final int port;
    private final Process process;

    private RedisServerProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static RedisServerProcess start(Path dir, String password) throws IOException, InterruptedException {
        String server = java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .map(d -> Path.of(d, "redis-server")).filter(Files::isExecutable).findFirst()
                .map(Path::toString).orElse(null);
        if (server == null) {
            fail("redis-server is not installed: apt-get install redis-server (.ci/run does)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(List.of(server, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--requirepass", password,
                "--databases", "16", "--repl-diskless-sync-delay", "0", "--logfile", dir.resolve("redis.log").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new RedisServerProcess(port, p);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    fail("redis-server exited with " + p.exitValue() + ": " + Files.readString(dir.resolve("stdout.log")));
                }
                Thread.sleep(20);
            }
        }
        p.destroyForcibly();
        return fail("redis-server did not start listening on port " + port);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
