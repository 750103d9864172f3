package io.cairn.server.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The metadata database: SQLite in the data directory by default (WAL, a busy timeout and immediate
 * transactions, so background writers do not fail with "database is locked"), or PostgreSQL when
 * {@code cairn.database.url} is set. Flyway migrates either from {@code db/migration/<vendor>}.
 */
@Configuration(proxyBeanMethods = false)
public class MetadataDatabaseConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(CairnProperties properties) {
        CairnProperties.Database db = properties.database();
        HikariConfig config = new HikariConfig();
        config.setPoolName("metadata");
        if (db.isSqlite()) {
            Path dir = properties.resolvedDataDir();
            createDataDirectory(dir);
            String url = db.url() != null && !db.url().isBlank() ? db.url()
                    : "jdbc:sqlite:" + dir.resolve("cairn.db");
            config.setJdbcUrl(url + (url.contains("?") ? "&" : "?")
                    + "journal_mode=WAL&busy_timeout=10000&transaction_mode=IMMEDIATE&foreign_keys=true");
            config.setMaximumPoolSize(Math.max(2, Math.min(db.poolSize(), 4)));
        } else {
            config.setJdbcUrl(db.url());
            config.setUsername(db.username());
            config.setPassword(db.password());
            config.setMaximumPoolSize(db.poolSize());
        }
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        return new HikariDataSource(config);
    }

    /** Creates the data directory readable by its owner only; fails clearly if that is impossible. */
    static void createDataDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: its own access control applies
                }
            }
            if (!Files.isWritable(dir)) {
                throw new StartupProblem("The data directory " + dir + " is not writable by this user.",
                        "Choose another with --data-dir (or CAIRN_DATA_DIR), or fix its permissions.", null);
            }
        } catch (IOException e) {
            throw new StartupProblem("Cannot create the data directory " + dir + ": " + e.getMessage() + ".",
                    "Choose another with --data-dir (or CAIRN_DATA_DIR).", e);
        }
    }

    /** Exposed for the health check: which kind of database this is. */
    public static String vendorOf(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource h && h.getJdbcUrl() != null) {
            return h.getJdbcUrl().startsWith("jdbc:postgresql:") ? "PostgreSQL" : "SQLite";
        }
        return "unknown";
    }
}
