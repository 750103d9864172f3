package io.cairn.server.user;

import io.cairn.server.CairnServer;
import io.cairn.server.FirstRunScenarios;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** First run on a fresh SQLite server: nothing but setup is reachable, and setup is one-shot under a race. */
@SpringBootTest(classes = CairnServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FirstRunSetupTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void freshServer(DynamicPropertyRegistry registry) throws Exception {
        registry.add("cairn.data-dir", Files.createTempDirectory("cairn-first-run")::toString);
    }

    @Test
    void setup_is_the_only_way_in_and_exactly_one_of_many_racing_setups_wins() throws Exception {
        FirstRunScenarios.onlySetupIsReachable(port);
        FirstRunScenarios.concurrentSetupCreatesExactlyOneAdmin(port, jdbc, "eight racing horses");
    }
}
