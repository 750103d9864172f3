package io.cairn.server;

import io.cairn.server.user.ApiTokenService;
import io.cairn.server.user.Role;
import io.cairn.server.user.SetupService;
import io.cairn.server.user.User;
import io.cairn.server.user.UserService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared server for most tests: a real Cairn on a random port, with SQLite and a repository in a
 * temporary data directory, set up with an admin. Tests create their own users with unique names, so
 * they share the server without stepping on each other. Classes that need a server of their own (a
 * fresh, not-set-up one; PostgreSQL) configure their own context instead.
 */
@SpringBootTest(classes = CairnServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServerTestBase {

    public static final String ADMIN = "admin";
    public static final String PASSWORD = "correct horse battery staple";
    private static final Path DATA_DIR = tempDir("cairn-server-test");
    private static final AtomicInteger USERS = new AtomicInteger();

    @LocalServerPort
    protected int port;
    @Autowired
    protected SetupService setup;
    @Autowired
    protected UserService users;
    @Autowired
    protected ApiTokenService tokens;

    protected final JsonMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("cairn.data-dir", DATA_DIR::toString);
        // Every test signs in from 127.0.0.1: the per-address throttle would otherwise add up across tests.
        registry.add("cairn.login.free-attempts-per-address", () -> "100000");
    }

    @BeforeEach
    void ensureSetUp() {
        if (!setup.isComplete()) {
            setup.createFirstAdmin(ADMIN, PASSWORD, PASSWORD);
        }
    }

    protected TestHttp http() {
        return new TestHttp(port);
    }

    protected TestHttp signedInAs(String username) {
        TestHttp http = http();
        var response = http.login(username, PASSWORD);
        if (response.statusCode() != 302 || "/login?error".equals(TestHttp.location(response))) {
            throw new AssertionError("sign-in of " + username + " failed: " + response.statusCode() + " "
                    + TestHttp.location(response));
        }
        return http;
    }

    /** A new enabled user with a unique name and {@link #PASSWORD}. */
    protected User newUser(Role role) {
        return users.create(role.name().toLowerCase() + "-" + USERS.incrementAndGet() + "-" + System.nanoTime() % 100000,
                PASSWORD, role);
    }

    protected String tokenFor(User user) {
        return tokens.createPersonal(user.id(), "test").secret();
    }

    protected JsonNode parse(String body) {
        return json.readTree(body);
    }

    protected static Path dataDir() {
        return DATA_DIR;
    }

    static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
