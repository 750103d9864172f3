package io.cairn.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import io.cairn.server.user.User;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The files page of a backup as a signed-in operator sees it: the link from the backup page, the
 * listing with breadcrumbs and signed download links, the preview with secrets redacted, "download
 * selected" turned into a signed link, closing the session; and a viewer is refused.
 */
class BrowsePageTest extends BrowseTestBase {

    @Test
    void an_operator_browses_previews_downloads_and_closes_from_the_files_page() throws Exception {
        long backup = backup(source());
        TestHttp web = signedInAs(operator.username());

        assertThat(web.get("/backups/" + backup).body()).contains("/backups/" + backup + "/files", "Browse files");

        var page = web.get("/backups/" + backup + "/files");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).as("it starts in the backed-up folder")
                .contains("aria-label=\"Folder path\"", ">app<", ">config.yml<", ">data.bin<", ">docs/<", "/downloads/");

        var docs = web.get("/backups/" + backup + "/files/list?path=" + q(src + "/docs"));
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("id=\"browse-listing\"", ">readme.txt<", ">deep/<").doesNotContain("<html");

        var preview = web.get("/backups/" + backup + "/files/preview?path=" + q(src + "/.env"));
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("DB_PASSWORD=REDACTED", "3 values redacted").doesNotContain("hunter2");

        String csrf = TestHttp.csrfFrom(page.body());
        var selected = web.send(HttpRequest.newBuilder(URI.create(web.base() + "/backups/" + backup + "/files/download"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + q(csrf) + "&format=zip&path="
                        + q(src + "/docs/readme.txt") + "&path=" + q(src + "/config.yml"))));
        assertThat(selected.statusCode()).isEqualTo(302);
        String link = TestHttp.location(selected);
        assertThat(link).startsWith("/downloads/");
        Map<String, byte[]> zip = unzip(bytes(link, null).body());
        assertThat(zip).containsOnlyKeys("readme.txt", "config.yml");

        var search = web.get("/backups/" + backup + "/files?q=readme");
        assertThat(search.body()).contains("1 entries named like", src + "/docs/readme.txt");

        String sessionId = parse(http().withBearer(operatorToken).get("/api/v1/restore/mounts").body()).get(0).get("id")
                .asText();
        var closed = web.postForm("/backups/" + backup + "/files", "/backups/" + backup + "/files/close",
                Map.of("session", sessionId));
        assertThat(closed.statusCode()).isEqualTo(302);
        assertThat(TestHttp.location(closed)).isEqualTo("/backups/" + backup);
        assertThat(bytes(link, null).statusCode()).as("the session's links end with it").isEqualTo(410);
    }

    @Test
    void an_admin_sees_and_closes_anyones_browse_session_and_an_operator_only_their_own() throws Exception {
        long backup = backup(source());
        TestHttp web = signedInAs(operator.username());
        assertThat(web.get("/backups/" + backup + "/files").statusCode()).isEqualTo(200);
        String sessionId = parse(http().withBearer(operatorToken).get("/api/v1/restore/mounts").body()).get(0).get("id")
                .asText();

        TestHttp otherOperator = signedInAs(newUser(Role.OPERATOR).username());
        assertThat(otherOperator.get("/browse-sessions").body()).contains("No backup is open for browsing")
                .doesNotContain(sessionId);
        TestHttp admin = signedInAs(newUser(Role.ADMIN).username());
        String list = admin.get("/browse-sessions").body();
        assertThat(list).contains(operator.username()).contains("/browse-sessions/" + sessionId + "/close");
        var closed = admin.postForm("/browse-sessions", "/browse-sessions/" + sessionId + "/close", Map.of());
        assertThat(closed.statusCode()).isEqualTo(302);
        assertThat(admin.get("/browse-sessions").body()).doesNotContain(sessionId);
        assertThat(parse(http().withBearer(operatorToken).get("/api/v1/restore/mounts").body())).isEmpty();
        assertThat(signedInAs(newUser(Role.VIEWER).username()).get("/browse-sessions").statusCode()).isEqualTo(403);
    }

    @Test
    void a_viewer_does_not_get_the_files_page() throws Exception {
        long backup = backup(source());
        User viewer = newUser(Role.VIEWER);
        TestHttp web = signedInAs(viewer.username());
        assertThat(web.get("/backups/" + backup + "/files").statusCode()).isEqualTo(403);
        assertThat(web.get("/backups/" + backup).body()).doesNotContain("Browse files");
    }
}
