package io.cairn.server.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The default repository and its recovery kit: created on first start, offered to an admin until
 * they confirm storing it, then only behind their password; and the kit really restores with the
 * cairn command line alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryKitTest extends ServerTestBase {

    @Autowired
    RepositoryService repositories;
    @TempDir
    Path work;

    private ManagedRepository defaultRepository() {
        return repositories.list().get(0);
    }

    @Test
    @Order(1)
    void the_kit_is_offered_to_admins_only_until_they_confirm_storing_it() {
        ManagedRepository repo = defaultRepository();
        assertThat(Path.of(repo.location())).isEqualTo(dataDir().resolve("repository"));
        TestHttp viewer = signedInAs(newUser(Role.VIEWER).username());
        assertThat(viewer.get("/repositories/" + repo.id() + "/recovery-kit").statusCode()).isEqualTo(403);
        assertThat(viewer.get("/").body()).doesNotContain("Save your recovery kit");

        TestHttp admin = signedInAs(ADMIN);
        assertThat(admin.get("/").body()).contains("Save your recovery kit");
        String page = admin.get("/repositories/" + repo.id() + "/recovery-kit").body();
        String password = kitPassword(page);
        HttpResponse<String> txt = admin.get("/repositories/" + repo.id() + "/recovery-kit.txt");
        assertThat(txt.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        assertThat(txt.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(txt.body()).contains("Password:   " + password).contains("cairn restore latest");

        HttpResponse<String> notTicked = admin.postForm("/repositories/" + repo.id() + "/recovery-kit",
                "/repositories/" + repo.id() + "/recovery-kit/confirm", Map.of());
        assertThat(TestHttp.location(notTicked)).endsWith("/recovery-kit");
        HttpResponse<String> confirm = admin.postForm("/repositories/" + repo.id() + "/recovery-kit",
                "/repositories/" + repo.id() + "/recovery-kit/confirm", Map.of("stored", "true"));
        assertThat(TestHttp.location(confirm)).isEqualTo("/");
        assertThat(admin.get("/").body()).doesNotContain("Save your recovery kit");

        String after = admin.get("/repositories/" + repo.id() + "/recovery-kit").body();
        assertThat(after).doesNotContain(password).contains("Show the recovery kit again");
        assertThat(admin.get("/repositories/" + repo.id() + "/recovery-kit.txt").statusCode()).isEqualTo(409);
        HttpResponse<String> wrong = admin.postForm("/repositories/" + repo.id() + "/recovery-kit",
                "/repositories/" + repo.id() + "/recovery-kit", Map.of("password", "not my password"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).doesNotContain(password);
        HttpResponse<String> right = admin.postForm("/repositories/" + repo.id() + "/recovery-kit",
                "/repositories/" + repo.id() + "/recovery-kit", Map.of("password", PASSWORD));
        assertThat(kitPassword(right.body())).isEqualTo(password);

        assertThat(http().withBearer(tokenFor(newUser(Role.ADMIN))).get("/api/v1/repositories").body())
                .as("never in the API").doesNotContain(password).contains("\"recoveryKitStored\":true");
    }

    @Test
    @Order(2)
    void the_kit_alone_backs_up_and_restores_with_the_cairn_command_line() throws Exception {
        ManagedRepository repo = defaultRepository();
        String password = repositories.recoveryKit(repo.id()).password();
        Path source = Files.createDirectories(work.resolve("source"));
        Files.writeString(source.resolve("hello.txt"), "restored by the kit\n");

        assertThat(cairn(repo, password, "backup", source.toString())).contains("snapshot");
        assertThat(cairn(repo, password, "snapshots")).contains(source.toString());
        Path target = work.resolve("restored");
        cairn(repo, password, "restore", "latest", "--target", target.toString());
        try (var found = Files.walk(target)) {
            Path restored = found.filter(p -> p.getFileName().toString().equals("hello.txt")).findFirst().orElseThrow();
            assertThat(Files.readString(restored)).isEqualTo("restored by the kit\n");
        }
        assertThat(cairn(repo, "the wrong password", List.of(12), "snapshots")).contains("wrong password");
    }

    private static String kitPassword(String html) {
        Matcher m = Pattern.compile("id=\"kit-password\"[^>]*>([^<]+)<").matcher(html);
        assertThat(m.find()).as("the kit's password on the page").isTrue();
        return m.group(1).trim();
    }

    private String cairn(ManagedRepository repo, String password, String... args) throws Exception {
        return cairn(repo, password, List.of(0), args);
    }

    /** Runs bin/cairn (the CLI, built before this module) with only the kit's location and password. */
    private String cairn(ManagedRepository repo, String password, List<Integer> exitCodes, String... args)
            throws IOException, InterruptedException {
        Path launcher = Path.of("..", "bin", "cairn").toAbsolutePath().normalize();
        assertThat(launcher).exists();
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CAIRN_NO_BUILD", "1"); // the build running these tests has built the CLI already
        pb.environment().put("CAIRN_REPOSITORY", repo.location());
        pb.environment().put("CAIRN_PASSWORD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(exitCodes).as("exit code of cairn " + String.join(" ", args) + ":\n" + out).contains(p.exitValue());
        return out;
    }
}
