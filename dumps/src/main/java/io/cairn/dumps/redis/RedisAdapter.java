package io.cairn.dumps.redis;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionCheck;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseDescription;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.DatabaseInfo;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.ObjectInfo;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.RestoreResult;
import io.cairn.dumps.SecretMasker;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.dumps.tool.ErrorClassifier;
import io.cairn.dumps.tool.ProcessDump;
import io.cairn.dumps.tool.ToolCommand;
import io.cairn.dumps.tool.Toolbox;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redis through {@code redis-cli --rdb -} (dump) and its own RESP client (test, describe, restore).
 *
 * <p>Dump: the server forks and streams a point-in-time RDB snapshot of the whole dataset (every
 * database; {@code dump.rdb}), exactly what a replica would receive. The RDB is parsed as it streams
 * ({@link RdbCheckingStream}): a truncated or damaged RDB fails the dump even if redis-cli exits 0,
 * and the stream ends at the RDB's own end. A server with diskless replication waits
 * {@code repl-diskless-sync-delay} (5 s by default) for more replicas before it starts streaming. A spec naming a database still
 * dumps all of them (an RDB has no per-database form); the restore picks the database.
 *
 * <p>Restore: the RDB is read key by key ({@link RdbReader}, CRC-64 verified) and each key is sent as
 * {@code RESTORE key <absolute expiry> <payload> ABSTTL}, the payload being the key's own RDB bytes
 * in Redis's DUMP format. Types, encodings and TTLs come back exactly; keys whose TTL passed while the
 * dump sat in the repository are not restored (they would have expired). Functions are loaded with
 * {@code FUNCTION LOAD}. The target server must be the dump's Redis version or newer. With a
 * database named in the target spec, only that database's keys are restored; otherwise each key
 * goes to the database number it came from.
 *
 * <p>The password reaches {@code redis-cli} in {@code REDISCLI_AUTH}, never on its command line.
 */
public final class RedisAdapter implements DatabaseAdapter {
    static final String INSTALL = "apt-get install redis-tools";
    private static final int PIPELINE = 500;
    private static final int TYPE_SCAN_LIMIT = 200_000;

    private final Toolbox toolbox;
    private final Clock clock;

    public RedisAdapter(Toolbox toolbox) {
        this(toolbox, Clock.systemUTC());
    }

    public RedisAdapter(Toolbox toolbox, Clock clock) {
        this.toolbox = toolbox;
        this.clock = clock;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.REDIS;
    }

    private static void requireKind(ConnectionSpec spec) {
        if (spec.kind() != SourceKind.REDIS) {
            throw new IllegalArgumentException("not a Redis spec: " + spec.kind());
        }
    }

    // ---------------------------------------------------------------- errors

    static DatabaseException classify(IOException e, ConnectionSpec spec, String action) {
        SecretMasker masker = SecretMasker.of(spec);
        String detail = masker.mask(String.valueOf(e.getMessage()));
        if (e instanceof RespClient.RedisError re) {
            String code = re.code();
            if (code.equals("WRONGPASS") || code.equals("NOAUTH")) {
                return new DatabaseException(CheckStatus.WRONG_PASSWORD, masker.mask(wrongPassword(spec)
                        + (code.equals("NOAUTH") ? " (the server requires a password and none was given)" : "")));
            }
            if (detail.contains("without any password configured")) {
                return new DatabaseException(CheckStatus.WRONG_PASSWORD, "the Redis server at " + spec.address()
                        + " has no password, but one was given: clear the password saved with this source");
            }
            if (code.equals("NOPERM")) {
                return new DatabaseException(CheckStatus.PERMISSION_DENIED, "the Redis user may not " + action + " on "
                        + spec.address() + " (" + detail + "): grant it +@all or at least +sync +info +scan +type +restore");
            }
            if (detail.contains("DB index is out of range")) {
                return new DatabaseException(CheckStatus.DATABASE_MISSING, "database " + spec.database()
                        + " does not exist on " + spec.address() + " (the server has fewer databases)");
            }
            return new DatabaseException(CheckStatus.OTHER, "cannot " + action + " on " + spec.address() + ": " + detail);
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return new DatabaseException(CheckStatus.TLS_FAILED, tlsHint(spec) + " (" + detail + ")");
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException
                || e instanceof SocketTimeoutException) {
            return new DatabaseException(CheckStatus.HOST_UNREACHABLE, unreachable(spec) + " (" + detail + ")");
        }
        return new DatabaseException(CheckStatus.OTHER, "cannot " + action + " on " + spec.address() + ": " + detail, e);
    }

    private static String wrongPassword(ConnectionSpec spec) {
        return "wrong password for " + (spec.username() == null ? "the default user" : "user " + spec.username())
                + " on " + spec.address() + ": check the password saved with this source";
    }

    private static String unreachable(ConnectionSpec spec) {
        return "nothing answers at " + spec.address() + ": check the host and port, that Redis is running,"
                + " its bind and protected-mode settings, and any firewall";
    }

    private static String tlsHint(ConnectionSpec spec) {
        return "TLS mode " + spec.tls() + " failed: enable tls-port on the server, trust its CA, or choose a weaker TLS mode";
    }

    private ErrorClassifier classifier(ConnectionSpec spec) {
        return stderr -> {
            String s = stderr.toLowerCase(Locale.ROOT);
            if (s.contains("wrongpass") || s.contains("noauth") || s.contains("invalid password")) {
                return new ErrorClassifier.Classification(CheckStatus.WRONG_PASSWORD, wrongPassword(spec));
            }
            if (s.contains("could not connect") || s.contains("connection refused")) {
                return new ErrorClassifier.Classification(CheckStatus.HOST_UNREACHABLE, unreachable(spec));
            }
            if (s.contains("ssl") || s.contains("tls")) {
                return new ErrorClassifier.Classification(CheckStatus.TLS_FAILED, tlsHint(spec));
            }
            if (s.contains("noperm")) {
                return new ErrorClassifier.Classification(CheckStatus.PERMISSION_DENIED,
                        "the Redis user needs the SYNC and REPLCONF commands to take a snapshot");
            }
            return new ErrorClassifier.Classification(CheckStatus.OTHER, "");
        };
    }

    // ---------------------------------------------------------------- test / describe

    @Override
    public ConnectionCheck test(ConnectionSpec spec) {
        requireKind(spec);
        try {
            toolbox.require(INSTALL, "redis-cli");
        } catch (DatabaseException e) {
            return ConnectionCheck.failed(e);
        }
        String version = null;
        try (RespClient c = RespClient.connect(spec)) {
            version = serverInfo(c).getOrDefault("redis_version", "unknown");
            if (spec.database() != null) {
                c.call("SELECT", spec.database());
            }
            return ConnectionCheck.ok("connected to Redis " + version + " at " + spec.address()
                    + (spec.database() == null ? "" : " (database " + spec.database() + ")"), version);
        } catch (IOException e) {
            DatabaseException d = classify(e, spec, "connect");
            return ConnectionCheck.failed(d.status(), d.getMessage(), version);
        }
    }

    private static Map<String, String> serverInfo(RespClient c) throws IOException {
        Map<String, String> info = new TreeMap<>();
        for (String line : RespClient.text(c.call("INFO")).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                info.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return info;
    }

    private static final Pattern KEYSPACE = Pattern.compile("db(\\d+)");
    private static final Pattern KEYS = Pattern.compile("keys=(\\d+)");

    @Override
    public DatabaseDescription describe(ConnectionSpec spec) throws DatabaseException {
        requireKind(spec);
        try (RespClient c = RespClient.connect(spec)) {
            Map<String, String> info = serverInfo(c);
            String version = info.getOrDefault("redis_version", "unknown");
            long size = Long.parseLong(info.getOrDefault("used_memory", "-1"));
            List<Integer> dbs = new ArrayList<>();
            if (spec.database() != null) {
                c.call("SELECT", spec.database());
                dbs.add(Integer.parseInt(spec.database()));
            } else {
                for (Map.Entry<String, String> e : info.entrySet()) {
                    Matcher m = KEYSPACE.matcher(e.getKey());
                    if (m.matches()) {
                        dbs.add(Integer.parseInt(m.group(1)));
                    }
                }
                dbs.sort(null);
            }
            List<DatabaseInfo> infos = new ArrayList<>();
            for (int db : dbs) {
                infos.add(describeDb(c, db));
            }
            return new DatabaseDescription(SourceKind.REDIS, version, size, infos);
        } catch (IOException e) {
            throw classify(e, spec, "describe");
        }
    }

    /** Keys per type (string, hash, list, set, zset, stream) by SCAN and TYPE, or just the count for huge databases. */
    private static DatabaseInfo describeDb(RespClient c, int db) throws IOException {
        c.call("SELECT", db);
        long size = (Long) c.call("DBSIZE");
        if (size > TYPE_SCAN_LIMIT) {
            return new DatabaseInfo(Integer.toString(db), -1, List.of(new ObjectInfo("keys", ObjectInfo.ObjectType.KEYSPACE, size)));
        }
        Map<String, Long> perType = new TreeMap<>();
        String cursor = "0";
        do {
            @SuppressWarnings("unchecked")
            List<Object> reply = (List<Object>) c.call("SCAN", cursor, "COUNT", "1000");
            cursor = RespClient.text(reply.get(0));
            @SuppressWarnings("unchecked")
            List<Object> keys = (List<Object>) reply.get(1);
            for (Object k : keys) {
                c.send("TYPE", k);
            }
            c.flush();
            for (int i = 0; i < keys.size(); i++) {
                perType.merge(RespClient.text(c.read()), 1L, Long::sum);
            }
        } while (!cursor.equals("0"));
        List<ObjectInfo> objects = new ArrayList<>();
        perType.forEach((type, n) -> objects.add(new ObjectInfo(type, ObjectInfo.ObjectType.KEYSPACE, n)));
        return new DatabaseInfo(Integer.toString(db), -1, objects);
    }

    // ---------------------------------------------------------------- dump

    @Override
    public Dump dump(ConnectionSpec spec, DumpOptions options) throws DatabaseException {
        requireKind(spec);
        Path cli = toolbox.require(INSTALL, "redis-cli");
        if (spec.database() != null || spec.tls() == TlsMode.REQUIRE || spec.tls() == TlsMode.VERIFY_FULL) {
            // fail fast: a missing database, or TLS that the server does not speak (redis-cli would hang)
            try (RespClient c = RespClient.connect(spec)) {
                if (spec.database() != null) {
                    c.call("SELECT", spec.database());
                }
            } catch (IOException e) {
                throw classify(e, spec, "dump");
            }
        }
        List<String> args = new ArrayList<>(List.of("-h", spec.host(), "-p", Integer.toString(spec.port())));
        if (spec.username() != null) {
            args.addAll(List.of("--user", spec.username()));
        }
        if (spec.tls() == TlsMode.REQUIRE) {
            args.addAll(List.of("--tls", "--insecure"));
        } else if (spec.tls() == TlsMode.VERIFY_FULL) {
            args.addAll(List.of("--tls", "--cacertdir", "/etc/ssl/certs", "--sni", spec.host()));
        }
        args.addAll(List.of("--no-auth-warning", "--rdb", "-"));
        ToolCommand cmd = ToolCommand.of("redis-cli", cli, args);
        if (!spec.password().isEmpty()) {
            cmd = cmd.withEnv("REDISCLI_AUTH", spec.password().reveal());
        }
        ToolCommand command = cmd;
        ProcessDump.Step step = new ProcessDump.Step() {
            @Override
            public byte[] preamble() {
                return new byte[0];
            }

            @Override
            public ToolCommand command() {
                return command;
            }

            @Override
            public InputStream transform(InputStream toolOutput) {
                return new RdbCheckingStream(toolOutput);
            }
        };
        return new ProcessDump("dump.rdb", List.of(step).iterator(), null, toolbox,
                SecretMasker.of(spec), classifier(spec), options.toolOutput());
    }

    // ---------------------------------------------------------------- restore

    @Override
    public RestoreResult restore(ConnectionSpec target, InputStream dump, RestoreOptions options) throws DatabaseException {
        requireKind(target);
        List<String> warnings = new ArrayList<>();
        RdbReader rdb = new RdbReader(new BufferedInputStream(dump, 1 << 16));
        Integer onlyDb = target.database() == null ? null : Integer.parseInt(target.database());
        if (!options.tables().isEmpty()) {
            throw new DatabaseException(CheckStatus.OTHER, "a Redis backup restores whole databases, not single keys"
                    + " or tables: restore it without a table list");
        }
        RestoreOptions.refuseRoles(options, "Redis");
        try (RespClient c = RespClient.connect(target)) {
            checkEmpty(c, target, onlyDb, options);
            if (options.flushFirst()) {
                if (onlyDb != null) {
                    c.call("SELECT", onlyDb);
                    c.call("FLUSHDB");
                } else {
                    c.call("FLUSHALL");
                }
                warnings.add("emptied " + (onlyDb == null ? "every database" : "database " + onlyDb) + " of "
                        + target.address() + " before loading, as asked");
            }
            rdb.readHeader();
            long restored = 0;
            long expired = 0;
            int currentDb = -1;
            int pending = 0;
            List<byte[]> pendingKeys = new ArrayList<>();
            Object item;
            while ((item = rdb.next()) != null) {
                if (item instanceof RdbReader.Function f) {
                    flushRestores(c, pendingKeys, target);
                    pending = 0;
                    try {
                        if (options.overwrite()) {
                            c.call("FUNCTION", "LOAD", "REPLACE", f.code());
                        } else {
                            c.call("FUNCTION", "LOAD", f.code());
                        }
                    } catch (RespClient.RedisError e) {
                        if (e.getMessage().contains("already exists")) {
                            throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, "a function library of the dump"
                                    + " already exists on " + target.address() + ": choose to overwrite");
                        }
                        throw e;
                    }
                    continue;
                }
                RdbReader.Entry e = (RdbReader.Entry) item;
                if (onlyDb != null && e.db() != onlyDb) {
                    continue;
                }
                if (e.expireAtMs() >= 0 && e.expireAtMs() <= clock.millis()) {
                    expired++;
                    continue;
                }
                if (e.db() != currentDb) {
                    flushRestores(c, pendingKeys, target);
                    pending = 0;
                    c.call("SELECT", e.db());
                    currentDb = e.db();
                }
                List<Object> cmd = new ArrayList<>(List.of("RESTORE", e.key(), e.expireAtMs() < 0 ? 0 : e.expireAtMs(),
                        RdbReader.dumpPayload(e, rdb.version())));
                if (e.expireAtMs() >= 0) {
                    cmd.add("ABSTTL");
                }
                if (options.overwrite()) {
                    cmd.add("REPLACE");
                }
                c.send(cmd.toArray());
                pendingKeys.add(e.key());
                restored++;
                if (++pending >= PIPELINE) {
                    flushRestores(c, pendingKeys, target);
                    pending = 0;
                }
            }
            flushRestores(c, pendingKeys, target);
            if (expired > 0) {
                warnings.add(expired + " keys had expired since the dump and were not restored");
            }
        } catch (DatabaseException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof RespClient.RedisError || e instanceof java.net.SocketException) {
                throw classify(e, target, "restore");
            }
            throw new DatabaseException(CheckStatus.OTHER, "cannot restore the Redis dump into " + target.address()
                    + ": " + SecretMasker.of(target).mask(e.getMessage()), e);
        }
        return new RestoreResult(target.target(), rdb.bytesRead(), describe(target), warnings);
    }

    private static void checkEmpty(RespClient c, ConnectionSpec target, Integer onlyDb, RestoreOptions options)
            throws IOException {
        if (options.overwrite()) {
            return;
        }
        long keys = 0;
        if (onlyDb != null) {
            c.call("SELECT", onlyDb);
            keys = (Long) c.call("DBSIZE");
        } else {
            for (String line : RespClient.text(c.call("INFO", "keyspace")).split("\r?\n")) {
                Matcher m = KEYS.matcher(line);
                if (line.startsWith("db") && m.find()) {
                    keys += Long.parseLong(m.group(1));
                }
            }
        }
        if (keys > 0) {
            throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, "the Redis server at " + target.address()
                    + (onlyDb == null ? "" : " (database " + onlyDb + ")") + " already holds " + keys
                    + " keys: restore into an empty server or database, or choose to overwrite (keys in the dump are replaced)");
        }
    }

    private static void flushRestores(RespClient c, List<byte[]> keys, ConnectionSpec target) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        c.flush();
        IOException first = null;
        int failed = 0;
        String firstKey = null;
        for (byte[] key : keys) {
            try {
                c.read();
            } catch (RespClient.RedisError e) {
                failed++;
                if (first == null) {
                    first = e;
                    firstKey = new String(key, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        keys.clear();
        if (first != null) {
            String m = first.getMessage();
            if (m.startsWith("BUSYKEY")) {
                throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, failed + " keys of the dump already exist on "
                        + target.address() + " (first: " + abbreviate(firstKey) + "): choose to overwrite");
            }
            if (m.contains("payload version or checksum")) {
                throw new DatabaseException(CheckStatus.VERSION_MISMATCH, "the Redis server at " + target.address()
                        + " is older than the one the dump came from: restore into Redis of the same version or newer");
            }
            throw new DatabaseException(CheckStatus.OTHER, failed + " keys could not be restored (first: "
                    + abbreviate(firstKey) + ": " + m + ")");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
