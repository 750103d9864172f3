package io.cairn.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.CairnServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The UI in a real headless Chromium, as a new user meets it: first-run setup, sign-in, the recovery
 * kit, navigation through every section, adding a viewer who is then refused an admin page, the dark
 * theme, the navigation drawer on a tablet, keyboard access, and signing out. The tests run in order
 * on one fresh server.
 */
@SpringBootTest(classes = CairnServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTest {

    static final String ADMIN_PASSWORD = "granite pebble river stone";
    static final String VIEWER_PASSWORD = "quiet meadow lantern";

    @LocalServerPort
    int port;
    ChromeDriver browser;
    WebDriverWait wait;

    @DynamicPropertySource
    static void freshServer(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("cairn-browser-test");
        registry.add("cairn.data-dir", dir::toString);
    }

    @BeforeAll
    void open() {
        browser = Browser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @org.junit.jupiter.api.AfterEach
    void noConsoleProblems() {
        assertThat(Browser.consoleProblems(browser)).as("browser console errors and warnings").isEmpty();
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    String heading() {
        return browser.findElement(By.tagName("h1")).getText();
    }

    void signIn(String username, String password) {
        browser.get(url("/login"));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    void signOut() {
        browser.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
        wait.until(ExpectedConditions.urlContains("/login"));
    }

    @Test
    @Order(1)
    void a_fresh_server_shows_only_setup_and_refuses_a_weak_password() {
        browser.get(url("/"));
        assertThat(browser.getCurrentUrl()).endsWith("/setup");
        assertThat(heading()).isEqualTo("Welcome to Cairn");
        browser.get(url("/settings"));
        assertThat(browser.getCurrentUrl()).endsWith("/setup");

        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("short");
        browser.findElement(By.id("confirmPassword")).sendKeys("short");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        // the click posts the form: wait for the answer's page rather than reading the one being left
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".invalid-feedback"))).getText())
                .contains("at least 12 characters");
        Browser.screenshot(browser, "01-setup-error");
    }

    @Test
    @Order(2)
    void setup_creates_the_admin_who_then_signs_in_and_stores_the_recovery_kit() {
        browser.get(url("/setup"));
        browser.findElement(By.id("username")).clear();
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.id("confirmPassword")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/login"));
        assertThat(browser.getPageSource()).contains("Your admin account is ready");
        Browser.screenshot(browser, "02-login");

        browser.get(url("/setup"));
        assertThat(browser.getCurrentUrl()).as("setup is one-shot").endsWith("/login");

        signIn("admin", "not the password at all");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText())
                .isEqualTo("Wrong username or password.");

        signIn("admin", ADMIN_PASSWORD);
        wait.until(ExpectedConditions.titleIs("Dashboard · Cairn"));
        assertThat(heading()).isEqualTo("Dashboard");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".overall.UP")));
        assertThat(browser.findElement(By.cssSelector(".overall")).getText()).contains("All systems healthy");
        assertThat(browser.findElements(By.cssSelector("#health .card")).size()).isGreaterThanOrEqualTo(4);
        WebElement banner = browser.findElement(By.cssSelector(".alert-warning"));
        assertThat(banner.getText()).contains("Save your recovery kit");
        Browser.screenshot(browser, "03-dashboard");

        banner.findElement(By.linkText("Open the recovery kit")).click();
        assertThat(heading()).isEqualTo("Recovery kit");
        String password = browser.findElement(By.id("kit-password")).getText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        assertThat(browser.findElement(By.cssSelector("pre.commands")).getText())
                .contains("cairn restore latest").contains("CAIRN_PASSWORD='" + password + "'");
        Browser.screenshot(browser, "04-recovery-kit");
        browser.findElement(By.id("stored")).click();
        WebElement done = browser.findElement(By.xpath("//button[normalize-space()='Done']"));
        clickCentered(done);
        wait.until(ExpectedConditions.titleIs("Dashboard · Cairn"));
        assertThat(browser.getPageSource()).doesNotContain("Save your recovery kit").doesNotContain(password);
    }

    @Test
    @Order(3)
    void every_section_of_the_navigation_opens_a_working_page() {
        browser.get(url("/"));
        List<String> labels = browser.findElements(By.cssSelector(".sidebar nav a")).stream()
                .map(a -> a.getText().replace("SOON", "").replace("Soon", "").trim()).toList();
        assertThat(labels).containsExactly("Dashboard", "Sources", "Backups", "Restore", "Schedules", "Repositories",
                "Settings", "Audit");
        for (String label : labels) {
            browser.findElement(By.xpath("//aside//nav//a[span[normalize-space()='" + label + "']]")).click();
            wait.until(ExpectedConditions.attributeToBe(
                    By.xpath("//aside//nav//a[span[normalize-space()='" + label + "']]"), "aria-current", "page"));
            assertThat(browser.getTitle()).doesNotContain("Error");
            if (label.equals("Schedules")) {
                assertThat(browser.getPageSource()).contains("New schedule").doesNotContain("Coming next");
            }
        }
        browser.get(url("/audit"));
        assertThat(browser.findElement(By.id("audit-results")).getText()).contains("auth.login");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-action"))).selectByValue("auth.login.failed");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-results"), "1 entries"));
        Browser.screenshot(browser, "05-audit");
    }

    @Test
    @Order(4)
    void an_admin_adds_a_viewer_who_is_refused_the_admin_pages() {
        browser.get(url("/settings"));
        browser.findElement(By.id("new-username")).sendKeys("vera");
        browser.findElement(By.id("new-password")).sendKeys(VIEWER_PASSWORD);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("new-role"))).selectByValue("VIEWER");
        browser.findElement(By.xpath("//button[normalize-space()='Add user']")).click();
        // the answer is a new page after the password's hash: wait for it (the click can return before it loads)
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".alert-success"))).getText())
                .contains("vera created as Viewer");
        Browser.screenshot(browser, "06-settings");
        signOut();
        assertThat(browser.getPageSource()).contains("You are signed out.");

        signIn("vera", VIEWER_PASSWORD);
        wait.until(ExpectedConditions.titleIs("Dashboard · Cairn"));
        List<String> labels = browser.findElements(By.cssSelector(".sidebar nav a span:first-of-type")).stream()
                .map(WebElement::getText).toList();
        assertThat(labels).doesNotContain("Audit");
        browser.get(url("/settings"));
        assertThat(heading()).isEqualTo("Not allowed");
        browser.get(url("/audit"));
        assertThat(heading()).isEqualTo("Not allowed");
        Browser.screenshot(browser, "07-viewer-refused");
        browser.get(url("/"));
        signOut();
    }

    @Test
    @Order(5)
    void an_admin_adds_a_folder_and_backs_it_up_from_the_dialog_watching_it_finish_without_reloading() throws Exception {
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("cairn-browser-source");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 12; i++) {
            byte[] data = new byte[4 << 20];
            random.nextBytes(data);
            java.nio.file.Files.write(folder.resolve("part-" + i + ".bin"), data);
        }
        java.nio.file.Files.writeString(folder.resolve("notes.txt"), "keep me\n");
        signIn("admin", ADMIN_PASSWORD);
        wait.until(ExpectedConditions.titleIs("Dashboard · Cairn"));
        browser.get(url("/sources/new"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("type"))).selectByValue("PATH");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("path")));
        assertThat(browser.findElement(By.id("host")).isDisplayed()).as("database fields hide for folders").isFalse();
        browser.findElement(By.id("name")).sendKeys("browser folder");
        browser.findElement(By.id("path")).sendKeys(folder.toString());
        browser.findElement(By.id("excludes")).sendKeys("*.tmp");
        Browser.screenshot(browser, "11-source-form");
        browser.findElement(By.xpath("//button[normalize-space()='Add source']")).click();
        wait.until(ExpectedConditions.titleIs("browser folder · Cairn"));
        browser.findElement(By.xpath("//button[normalize-space()='Test connection']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-result"), "Connection works."));

        browser.get(url("/"));
        browser.findElement(By.linkText("Start backup")).click(); // the dashboard's quick action opens the dialog
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
        new org.openqa.selenium.support.ui.Select(dialog.findElement(By.id("start-source"))).selectByVisibleText(
                "browser folder (Files and folders)");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("start-estimate"), "Into repository"));
        dialog.findElement(By.id("start-verify")).click();
        Browser.screenshot(browser, "12-start-dialog");
        dialog.findElement(By.xpath(".//button[normalize-space()='Start']")).click();
        wait.until(ExpectedConditions.urlMatches(".*/backups/[0-9]+$"));
        browser.executeScript("window.__sameDocument = true");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#backup-overview .status"), "SUCCEEDED"));
        assertThat(browser.executeScript("return window.__sameDocument === true")).as("no reload").isEqualTo(true);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log-lines"), "Verified"));
        assertThat(browser.findElement(By.id("log-lines")).getText()).contains("Backing up Files and folders");
        Browser.screenshot(browser, "13-backup-page");

        browser.get(url("/"));
        assertThat(browser.findElement(By.id("dashboard-backups")).getText()).contains("browser folder");
        Browser.screenshot(browser, "14-dashboard-with-backups");
        browser.get(url("/sources"));
        browser.findElement(By.linkText("browser folder")).click();
        browser.findElement(By.id("tab-performance")).click();
        wait.until(d -> d.findElement(By.id("panel-performance")).isDisplayed());
        wait.until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return !!(window.Chart && Chart.getChart('perf-chart'))")));
        Browser.screenshot(browser, "15-source-performance");
        browser.findElement(By.id("tab-analytics")).sendKeys(Keys.ENTER);
        browser.findElement(By.id("tab-analytics")).click();
        wait.until(d -> d.findElement(By.id("panel-analytics")).isDisplayed());
        Browser.screenshot(browser, "16-source-analytics");
        browser.get(url("/"));
        signOut();
    }

    @Test
    @Order(6)
    void the_dark_theme_switches_and_is_remembered() {
        signIn("admin", ADMIN_PASSWORD);
        wait.until(ExpectedConditions.titleIs("Dashboard · Cairn"));
        String before = browser.findElement(By.tagName("html")).getAttribute("data-bs-theme");
        WebElement toggle = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("button[x-data=themeToggle]")));
        toggle.click();
        String after = browser.findElement(By.tagName("html")).getAttribute("data-bs-theme");
        assertThat(after).isNotEqualTo(before);
        if (!"dark".equals(after)) {
            toggle.click();
        }
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-bs-theme")).isEqualTo("dark");
        browser.navigate().refresh();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-bs-theme")).isEqualTo("dark");
        String background = browser.findElement(By.tagName("body")).getCssValue("background-color");
        assertThat(brightness(background)).as("dark background, was " + background).isLessThan(60);
        Browser.screenshot(browser, "08-dashboard-dark");
        browser.findElement(By.cssSelector("button[x-data=themeToggle]")).click();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-bs-theme")).isEqualTo("light");
    }

    @Test
    @Order(7)
    void on_a_tablet_the_navigation_is_a_drawer_and_the_keyboard_reaches_everything() {
        browser.manage().window().setSize(new Dimension(800, 1024));
        try {
            browser.get(url("/"));
            WebElement menu = browser.findElement(By.cssSelector(".menu-button"));
            assertThat(menu.isDisplayed()).isTrue();
            WebElement sidebar = browser.findElement(By.id("sidebar"));
            assertThat(sidebar.getRect().getX() + sidebar.getRect().getWidth()).as("drawer closed").isLessThanOrEqualTo(0);
            menu.click();
            wait.until(d -> d.findElement(By.id("sidebar")).getRect().getX() >= 0);
            Browser.screenshot(browser, "09-tablet-drawer");
            new Actions(browser).sendKeys(Keys.ESCAPE).perform();
            wait.until(d -> d.findElement(By.id("sidebar")).getRect().getX() < 0);

            browser.get(url("/"));
            new Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            assertThat(focused.getText()).isEqualTo("Skip to content");
            focused.sendKeys(Keys.ENTER);
            assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
        } finally {
            browser.manage().window().setSize(new Dimension(1366, 900));
        }
    }

    @Test
    @Order(8)
    void partial_updates_show_an_error_in_place_and_an_ended_session_goes_to_the_login_page() {
        browser.get(url("/"));
        String before = browser.findElement(By.id("health")).getText();
        browser.executeScript("htmx.ajax('GET', '/dashboard/no-such-fragment', {target: '#health', swap: 'outerHTML'})");
        wait.until(d -> String.valueOf(d.findElement(By.id("health-region")).getAttribute("class"))
                .contains("update-failed"));
        assertThat(browser.findElement(By.cssSelector("#health-region .update-error")).getText())
                .contains("Could not update (the server answered 404)");
        assertThat(browser.findElement(By.id("health")).getText()).as("the last known state stays").isEqualTo(before);
        Browser.consoleProblems(browser); // the 404 above is on purpose

        browser.executeScript("htmx.ajax('GET', '/dashboard/health', {target: '#health', swap: 'outerHTML'})");
        wait.until(d -> !String.valueOf(d.findElement(By.id("health-region")).getAttribute("class"))
                .contains("update-failed"));

        browser.manage().deleteCookieNamed("CAIRN_SESSION");
        browser.executeScript("htmx.ajax('GET', '/dashboard/health', {target: '#health', swap: 'outerHTML'})");
        wait.until(ExpectedConditions.urlContains("/login"));
        assertThat(heading()).isEqualTo("Sign in");
        Browser.consoleProblems(browser); // the 401 that sent the page to the login is on purpose
        signIn("admin", ADMIN_PASSWORD);
    }

    @Test
    @Order(9)
    void the_api_documentation_opens_for_a_signed_in_user() {
        browser.get(url("/api/docs"));
        // The title failed to appear twice in ten CI runs on 2026-12-05 (once within 15 s, once within 60 s), cause
        // not found yet: a failure now says where the browser was and what the page held.
        try {
            new WebDriverWait(browser, Duration.ofSeconds(30))
                    .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".swagger-ui .info .title")));
        } catch (org.openqa.selenium.TimeoutException e) {
            String source = browser.getPageSource();
            throw new AssertionError("Swagger UI did not render; at " + browser.getCurrentUrl() + ", title '"
                    + browser.getTitle() + "', page: " + source.substring(0, Math.min(2000, source.length())), e);
        }
        assertThat(browser.findElement(By.cssSelector(".swagger-ui .info .title")).getText()).contains("Cairn API");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".opblock-tag")));
        assertThat(browser.findElements(By.cssSelector(".opblock-tag")).stream().map(WebElement::getText).toList())
                .contains("Authentication", "Users", "Audit log", "Health");
        Browser.screenshot(browser, "10-api-docs");
    }

    @Test
    @Order(10)
    void a_running_backup_grows_live_on_its_source_performance_tab() throws Exception {
        // a sparse file of 256 GiB: no disk, but enough zeros to read for a backup that runs for a while
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("cairn-browser-live");
        try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(folder.resolve("disk.img").toFile(), "rw")) {
            big.setLength(256L << 30);
        }
        browser.get(url("/sources/new")); // signed in as the admin since the tests before
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("type"))).selectByValue("PATH");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("path")));
        browser.findElement(By.id("name")).sendKeys("live disk image");
        browser.findElement(By.id("path")).sendKeys(folder.toString());
        browser.findElement(By.xpath("//button[normalize-space()='Add source']")).click();
        wait.until(ExpectedConditions.titleIs("live disk image · Cairn"));
        String sourcePage = browser.getCurrentUrl();
        browser.findElement(By.xpath("//button[normalize-space()='Backup now']")).click();
        wait.until(ExpectedConditions.urlMatches(".*/backups/[0-9]+$"));
        String backupPage = browser.getCurrentUrl();
        String jobId = backupPage.substring(backupPage.lastIndexOf('/') + 1);

        browser.get(sourcePage);
        browser.findElement(By.id("tab-performance")).click();
        browser.executeScript("window.__sameDocument = true");
        WebElement running = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#perf-job option[data-live-run][value='" + jobId + "']")));
        assertThat(running.getText()).contains("running now");
        assertThat(new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("perf-job")))
                .getFirstSelectedOption().getAttribute("value")).isEqualTo(jobId);
        wait.until(d -> ((Number) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                "var c = Chart.getChart('perf-chart'); return c ? c.data.datasets[0].data.length : 0")).intValue() >= 3);
        assertThat(browser.findElement(By.cssSelector("#panel-performance [data-field='peak']")).getText()).endsWith("/s");
        assertThat(browser.findElement(By.cssSelector("#panel-performance [data-field='duration']")).getText()).isNotEqualTo("–");
        Browser.screenshot(browser, "17-source-performance-live");

        // cancelling it (from its own page) ends the live run in the list without a reload
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "fetch('/backups/' + arguments[0] + '/cancel', {method: 'POST', headers: {[document.querySelector('meta[name=_csrf_header]').content]:"
                        + " document.querySelector('meta[name=_csrf]').content}})", jobId);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#perf-job option[value='" + jobId + "']"), "cancelled just now"));
        assertThat(browser.executeScript("return window.__sameDocument === true")).as("no reload").isEqualTo(true);
        java.nio.file.Files.delete(folder.resolve("disk.img"));
        java.nio.file.Files.delete(folder);
    }

    @Test
    @Order(11)
    void a_quick_look_shows_a_backups_files_and_a_preview_in_a_dialog_on_its_page() {
        browser.get(url("/backups"));
        browser.findElement(By.xpath("//a[normalize-space()='browser folder' and contains(@href,'/backups/')]")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("quick-look"))).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("browse-dialog")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("browse-listing"), "notes.txt"));
        String before = browser.getCurrentUrl();
        dialog.findElement(By.xpath(".//button[normalize-space()='notes.txt']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("browse-preview"), "keep me"));
        assertThat(browser.getCurrentUrl()).as("the dialog does not change the page's address").isEqualTo(before);
        Browser.screenshot(browser, "22-quick-look");
        dialog.findElement(By.xpath(".//button[normalize-space()='Close']")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("browse-dialog")));
    }

    @Test
    @Order(12)
    void from_the_dashboard_a_restore_runs_in_five_clicks_and_ends_with_a_summary() {
        browser.get(url("/"));
        int clicks = 0;
        browser.findElement(By.xpath("//aside//nav//a[span[normalize-space()='Restore']]")).click();
        clicks++;
        wait.until(ExpectedConditions.titleIs("Restore · Cairn"));
        WebElement choice = browser.findElement(By.xpath("//label[.//span[normalize-space()='browser folder']]//input"));
        choice.click();
        clicks++;
        Browser.screenshot(browser, "18-restore-choose");
        browser.findElement(By.xpath("//button[normalize-space()='Next →']")).click();
        clicks++;
        wait.until(ExpectedConditions.titleIs("Restore: what and where · Cairn"));
        assertThat(browser.findElement(By.id("to-folder")).isSelected()).as("a new folder is the default").isTrue();
        browser.findElement(By.id("to-original")).click();
        assertThat(browser.findElement(By.id("path")).isDisplayed()).as("the folder field hides for the original").isFalse();
        browser.findElement(By.id("to-folder")).click();
        assertThat(browser.findElement(By.id("path")).isDisplayed()).isTrue();
        Browser.screenshot(browser, "19-restore-what");
        browser.findElement(By.xpath("//button[normalize-space()='Next →']")).click();
        clicks++;
        wait.until(ExpectedConditions.titleIs("Restore: review · Cairn"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Nothing that exists is changed");
        Browser.screenshot(browser, "20-restore-review");
        browser.findElement(By.xpath("//button[normalize-space()='Restore now']")).click();
        clicks++;
        wait.until(ExpectedConditions.urlMatches(".*/restores/[0-9]+$"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("restore-progress"),
                "Restore completed successfully"));
        assertThat(browser.findElement(By.id("restore-progress")).getText()).contains("13 files").contains("Next steps");
        assertThat(clicks).as("clicks from the dashboard to a running restore").isLessThanOrEqualTo(5);
        Browser.screenshot(browser, "21-restore-done");
    }

    @Test
    @Order(13)
    void a_schedule_is_previewed_live_refused_inline_for_a_bad_field_then_created_and_counted_down() {
        browser.get(url("/schedules"));
        browser.findElement(By.linkText("New schedule")).click();
        wait.until(ExpectedConditions.titleIs("Create a schedule · Cairn"));
        browser.findElement(By.id("name")).sendKeys("Nightly folder");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("target"))).selectByVisibleText("browser folder");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("preset"))).selectByValue("WEEKLY");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("schedule-preview"),
                "every Sunday at 02:00 UTC"));
        assertThat(browser.findElements(By.cssSelector("#schedule-preview li"))).hasSize(5);

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("preset"))).selectByValue("CUSTOM");
        WebElement cron = browser.findElement(By.id("cron"));
        cron.clear();
        cron.sendKeys("0 2 * * FUNDAY");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("schedule-preview"),
                "The day-of-week field \"FUNDAY\" is not valid"));
        Browser.screenshot(browser, "23-schedule-preview-error");
        clickCentered(browser.findElement(By.xpath("//button[normalize-space()='Create schedule']")));
        wait.until(ExpectedConditions.attributeContains(By.id("cron"), "class", "is-invalid"));
        assertThat(browser.findElement(By.cssSelector("#cron ~ .invalid-feedback")).getText())
                .contains("day-of-week field \"FUNDAY\"");

        cron = browser.findElement(By.id("cron"));
        cron.clear();
        cron.sendKeys("0 3 * * *");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("schedule-preview"),
                "every day at 03:00 UTC"));
        clickCentered(browser.findElement(By.xpath("//button[normalize-space()='Create schedule']")));
        wait.until(ExpectedConditions.titleIs("Schedules · Cairn"));
        WebElement row = browser.findElement(By.xpath("//tr[.//span[normalize-space()='Nightly folder']]"));
        assertThat(row.getText()).contains("every day at 03:00 UTC");
        assertThat(row.findElement(By.cssSelector("[data-countdown]")).getText()).startsWith("in ");
        Browser.screenshot(browser, "24-schedules");

        browser.get(url("/"));
        WebElement panel = browser.findElement(By.id("scheduled-backups"));
        assertThat(panel.getText()).contains("Nightly folder").contains("every day at 03:00 UTC");
        assertThat(panel.findElement(By.cssSelector(".countdown")).getText()).startsWith("in ");
    }

    @Test
    @Order(14)
    void signing_out_ends_the_session() {
        browser.get(url("/"));
        signOut();
        browser.get(url("/repositories"));
        assertThat(browser.getCurrentUrl()).endsWith("/login");
    }

    /** Scrolls an element to the middle of the window first, so no sticky bar covers it. */
    private void clickCentered(WebElement element) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element);
        element.click();
    }

    private static int brightness(String cssColor) {
        String[] parts = cssColor.replaceAll("[^0-9,]", "").split(",");
        return (Integer.parseInt(parts[0]) + Integer.parseInt(parts[1]) + Integer.parseInt(parts[2])) / 3;
    }
}
