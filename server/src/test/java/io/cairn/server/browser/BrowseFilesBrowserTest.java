package io.cairn.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import io.cairn.server.user.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The files page of a backup in a real browser: a folder opens in place (htmx, no reload, the address
 * follows), the keyboard opens a preview with the secret redacted, ticking entries counts them on the
 * download button, and the page works in the dark theme without console errors.
 */
class BrowseFilesBrowserTest extends ServerTestBase {

    @TempDir
    Path dir;
    private ChromeDriver browser;

    @AfterEach
    void close() {
        if (browser != null) {
            assertThat(Browser.consoleProblems(browser)).as("browser console errors and warnings").isEmpty();
            browser.quit();
        }
    }

    @Test
    void an_operator_opens_folders_previews_and_ticks_files_without_reloading() throws Exception {
        User operator = newUser(Role.OPERATOR);
        TestHttp api = http().withBearer(tokenFor(operator));
        Path src = Files.createDirectories(dir.resolve("site"));
        Files.writeString(src.resolve(".env"), "APP_NAME=shop\nSTRIPE_SECRET=sk_live_abc\n");
        Files.createDirectories(src.resolve("assets"));
        Files.writeString(src.resolve("assets/app.css"), "body{}\n");
        Files.writeString(src.resolve("assets/app.js"), "run()\n");
        var source = api.postJson("/api/v1/sources", "{\"name\":\"site " + System.nanoTime() + "\",\"type\":\"PATH\","
                + "\"path\":\"" + src + "\"}");
        long backup = parse(api.postJson("/api/v1/backup/start", "{\"sourceId\":" + parse(source.body()).get("id") + "}")
                .body()).get("backups").get(0).get("id").asLong();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (!parse(api.get("/api/v1/backup/" + backup).body()).get("status").asText().equals("SUCCEEDED")) {
            assertThat(Instant.now()).as("the backup ends").isBefore(deadline);
            Thread.sleep(100);
        }

        browser = Browser.start();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        String base = "http://localhost:" + port;
        browser.get(base + "/login");
        browser.findElement(By.id("username")).sendKeys(operator.username());
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.titleIs("Dashboard · Cairn"));

        browser.get(base + "/backups/" + backup);
        browser.findElement(By.linkText("Browse files")).click();
        wait.until(ExpectedConditions.titleIs("Files of backup #" + backup + " · Cairn"));
        browser.executeScript("window.__sameDocument = true");
        Browser.screenshot(browser, "30-backup-files");

        browser.findElement(By.linkText("assets/")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".browse-crumbs [aria-current=page]"),
                "assets"));
        assertThat(browser.findElement(By.id("browse-listing")).getText()).contains("app.css", "app.js");
        assertThat(browser.getCurrentUrl()).as("the address follows the folder").contains("/files?path=");
        assertThat(browser.executeScript("return window.__sameDocument === true")).as("no reload").isEqualTo(true);

        browser.findElement(By.linkText("site")).click();
        WebElement env = wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='.env']")));
        env.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("browse-preview"), "STRIPE_SECRET=REDACTED"));
        assertThat(browser.findElement(By.id("browse-preview")).getText()).contains("APP_NAME=shop")
                .doesNotContain("sk_live_abc");

        WebElement download = browser.findElement(By.cssSelector("[data-browse-download]"));
        assertThat(download.isEnabled()).as("nothing ticked yet").isFalse();
        browser.findElements(By.cssSelector("[data-browse-item]")).get(0).click();
        assertThat(download.getText()).isEqualTo("Download selected (1)");
        browser.findElement(By.id("browse-all")).click();
        assertThat(download.getText()).isEqualTo("Download selected (2)");

        browser.executeScript("document.documentElement.setAttribute('data-bs-theme', 'dark')");
        Browser.screenshot(browser, "31-backup-files-dark");
    }
}
