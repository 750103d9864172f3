package io.cairn.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, with explicit paths so Selenium Manager
 * never runs (nothing is downloaded), a fresh profile, and no background network traffic.
 */
final class Browser {

    private Browser() {
    }

    static ChromeDriver start() {
        String chromium = which("chromium");
        String driver = which("chromedriver");
        Path profile;
        try {
            profile = Files.createTempDirectory("cairn-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1366,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(driver).toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.manage().window().setSize(new Dimension(1366, 900));
        return browser;
    }

    /** The browser console's errors and warnings since the last call (CSP violations, script errors). */
    static List<String> consoleProblems(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                // Pages answered 400 (a form with errors) or 403 (a refused page) on purpose; a missing
                // asset (404) or a failing script is still reported.
                .filter(e -> !e.getMessage().matches(".*Failed to load resource: the server responded with a status of 40[03].*"))
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    /** Saves a screenshot under target/screenshots (for people reviewing the UI; tests do not read it). */
    static void screenshot(ChromeDriver browser, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String which(String command) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(command + " is not installed: .ci/run installs Debian's chromium and chromium-driver "
                + "(apt-get install chromium chromium-driver)");
    }
}
