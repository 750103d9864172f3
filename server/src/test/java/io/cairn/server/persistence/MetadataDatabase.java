package io.cairn.server.persistence;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A fresh, migrated metadata database for one test: a SQLite file in a temporary directory, or a new
 * database on the local PostgreSQL (127.0.0.1:5432, user postgres), dropped again on close.
 */
public final class MetadataDatabase implements AutoCloseable {

    public static final String POSTGRES_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private final String vendor;
    private final HikariDataSource dataSource;
    private final String pgDatabase;

    private MetadataDatabase(String vendor, HikariDataSource dataSource, String pgDatabase) {
        this.vendor = vendor;
        this.dataSource = dataSource;
        this.pgDatabase = pgDatabase;
    }

    public static MetadataDatabase create(String vendor) throws Exception {
        HikariDataSource ds = new HikariDataSource();
        String pgDatabase = null;
        if (vendor.equals("sqlite")) {
            Path dir = Files.createTempDirectory("cairn-sqlite");
            ds.setJdbcUrl("jdbc:sqlite:" + dir.resolve("cairn.db")
                    + "?journal_mode=WAL&busy_timeout=10000&transaction_mode=IMMEDIATE&foreign_keys=true");
            ds.setMaximumPoolSize(4);
        } else {
            pgDatabase = createPostgresDatabase();
            ds.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/" + pgDatabase);
            ds.setUsername("postgres");
            ds.setMaximumPoolSize(4);
        }
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/" + vendor).load().migrate();
        return new MetadataDatabase(vendor, ds, pgDatabase);
    }

    /** Creates an empty PostgreSQL database with a random name and returns the name. */
    public static String createPostgresDatabase() throws Exception {
        String name = "cairn_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL, "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) is needed; .ci/run starts "
                    + "it: " + e.getMessage(), e);
        }
        return name;
    }

    public static void dropPostgresDatabase(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL, "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public String vendor() {
        return vendor;
    }

    public JdbcClient jdbc() {
        return JdbcClient.create(dataSource);
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() throws Exception {
        dataSource.close();
        if (pgDatabase != null) {
            dropPostgresDatabase(pgDatabase);
        }
    }

    @Override
    public String toString() {
        return vendor;
    }
}
