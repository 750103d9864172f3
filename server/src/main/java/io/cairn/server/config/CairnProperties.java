package io.cairn.server.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code cairn.*} setting, documented in docs/configuration.md. Each is also an environment
 * variable by Spring's relaxed binding ({@code cairn.data-dir} = {@code CAIRN_DATA_DIR}).
 *
 * @param dataDir       where the SQLite database, the key file and the default repository live
 * @param secretKey     the secret key as base64 (32 bytes); when set, no key file is read or written
 * @param secretKeyFile the key file; default {@code <data-dir>/secret.key}
 * @param database      the metadata database; SQLite in the data directory unless a URL is given
 * @param session       web session settings
 * @param login         brute-force protection of the login
 * @param api           API token lifetimes
 * @param jobs          the backup job queue
 * @param cluster       this server among several sharing one PostgreSQL metadata database
 * @param defaultRepository the repository created on first start ({@code cairn.default-repository.*};
 *                      not {@code cairn.repository}, which would clash with the CLI's CAIRN_REPOSITORY)
 */
@ConfigurationProperties("cairn")
public record CairnProperties(
        @DefaultValue("cairn-data") Path dataDir,
        String secretKey,
        Path secretKeyFile,
        @DefaultValue Database database,
        @DefaultValue Session session,
        @DefaultValue Login login,
        @DefaultValue Api api,
        @DefaultValue DefaultRepository defaultRepository,
        @DefaultValue Jobs jobs,
        @DefaultValue Cluster cluster) {

    /**
     * @param url      a {@code jdbc:postgresql://} URL, or empty for SQLite in the data directory
     * @param username database user (PostgreSQL)
     * @param password database password (PostgreSQL)
     * @param poolSize maximum connections
     */
    public record Database(String url, String username, String password, @DefaultValue("8") int poolSize) {
        public boolean isSqlite() {
            return url == null || url.isBlank() || url.startsWith("jdbc:sqlite:");
        }
    }

    /** @param timeout idle time after which a web session ends */
    public record Session(@DefaultValue("8h") Duration timeout) {
    }

    /**
     * @param freeAttempts           failures allowed per account and client address before delays start
     * @param freeAttemptsPerAddress failures allowed per client address, whatever the account
     * @param maxDelay               the longest delay; a throttle never locks anyone out for longer
     */
    public record Login(@DefaultValue("5") int freeAttempts, @DefaultValue("20") int freeAttemptsPerAddress,
                        @DefaultValue("15m") Duration maxDelay) {
    }

    /**
     * @param accessTokenTtl  lifetime of an access token from {@code POST /api/v1/auth/login}
     * @param refreshTokenTtl lifetime of a refresh token (each refresh issues a new one)
     */
    public record Api(@DefaultValue("15m") Duration accessTokenTtl, @DefaultValue("30d") Duration refreshTokenTtl) {
    }

    /**
     * @param name     display name of the repository created on first start
     * @param location its directory; default {@code <data-dir>/repository}
     */
    public record DefaultRepository(@DefaultValue("Local") String name, Path location) {
    }

    /**
     * @param concurrency       backups that run at once (never two of one source)
     * @param telemetryInterval how often a running job's speed is sampled for its chart
     * @param progressInterval  how often a running job's progress is saved to its row
     */
    public record Jobs(@DefaultValue("2") int concurrency, @DefaultValue("5s") Duration telemetryInterval,
                       @DefaultValue("2s") Duration progressInterval) {

        /** The job ticker's fastest period: a setting below it would not be honoured. */
        public static final Duration MIN_TICK = Duration.ofMillis(100);
        private static final Duration MAX_TICK = Duration.ofSeconds(1);

        /**
         * How often the job ticker looks at the running jobs: once a second, or as often as the shorter of the two
         * intervals asks, but not more often than every {@link #MIN_TICK}.
         */
        public Duration tickInterval() {
            Duration shortest = telemetryInterval.compareTo(progressInterval) <= 0 ? telemetryInterval : progressInterval;
            if (shortest.compareTo(MIN_TICK) < 0) {
                return MIN_TICK;
            }
            return shortest.compareTo(MAX_TICK) < 0 ? shortest : MAX_TICK;
        }
    }

    /**
     * @param nodeName          this server's name, unique among the servers sharing the metadata database;
     *                          default: the host name and the HTTP port ({@code backup-1:8080})
     * @param heartbeatInterval how often this server tells the others that it is alive
     * @param deadAfter         a server not heard from for this long is taken as stopped: another settles the
     *                          backups, restores and prunes it was running (a backup is retried once)
     */
    public record Cluster(String nodeName, @DefaultValue("10s") Duration heartbeatInterval,
                          @DefaultValue("60s") Duration deadAfter) {
    }

    public Path resolvedDataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    public Path resolvedSecretKeyFile() {
        return secretKeyFile != null ? secretKeyFile.toAbsolutePath() : resolvedDataDir().resolve("secret.key");
    }

    public Path resolvedRepositoryLocation() {
        return defaultRepository.location() != null ? defaultRepository.location().toAbsolutePath()
                : resolvedDataDir().resolve("repository");
    }
}
