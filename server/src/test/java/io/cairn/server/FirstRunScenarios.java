package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.jdbc.core.simple.JdbcClient;

/** First-run checks shared by the fresh SQLite and PostgreSQL servers. */
public final class FirstRunScenarios {

    private FirstRunScenarios() {
    }

    /** Before setup: pages go to /setup, the API answers 503, only setup and health are reachable. */
    public static void onlySetupIsReachable(int port) {
        TestHttp http = new TestHttp(port);
        assertThat(TestHttp.location(http.get("/"))).isEqualTo("/setup");
        assertThat(TestHttp.location(http.get("/login"))).isEqualTo("/setup");
        assertThat(TestHttp.location(http.get("/audit"))).isEqualTo("/setup");
        HttpResponse<String> api = http.get("/api/v1/users");
        assertThat(api.statusCode()).isEqualTo(503);
        assertThat(api.body()).contains("Setup required");
        HttpResponse<String> apiLogin = http.postJson("/api/v1/auth/login", "{\"username\":\"a\",\"password\":\"b\"}");
        assertThat(apiLogin.statusCode()).isEqualTo(503);
        assertThat(http.get("/setup").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/health").statusCode()).isEqualTo(200);
    }

    /**
     * Many browsers submit the setup form at the same moment, each with another username: exactly one
     * admin is created, the others are told setup is done, and the database holds one setup row.
     */
    public static void concurrentSetupCreatesExactlyOneAdmin(int port, JdbcClient jdbc, String password)
            throws Exception {
        int n = 8;
        List<TestHttp> clients = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestHttp c = new TestHttp(port);
            tokens.add(TestHttp.csrfFrom(c.get("/setup").body()));
            clients.add(c);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            results.add(pool.submit(() -> {
                go.await();
                return clients.get(k).postFormRaw("/setup", Map.of("_csrf", tokens.get(k), "username", "admin" + k,
                        "password", password, "confirmPassword", password));
            }));
        }
        go.countDown();
        int created = 0;
        int refused = 0;
        for (Future<HttpResponse<String>> f : results) {
            String location = TestHttp.location(f.get());
            if ("/login?setup".equals(location)) {
                created++;
            } else if ("/login".equals(location)) {
                refused++;
            }
        }
        pool.shutdown();
        assertThat(created).as("admins created").isEqualTo(1);
        assertThat(refused).as("told that setup is done").isEqualTo(n - 1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM setup").query(Long.class).single()).isEqualTo(1);
        TestHttp late = new TestHttp(port);
        assertThat(TestHttp.location(late.get("/setup"))).isEqualTo("/login");
    }
}
