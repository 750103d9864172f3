package io.cairn.dumps.redis;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseAdapterContract;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.dumps.tool.Toolbox;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract against real, private redis-server processes (one per scratch "database"). */
class RedisAdapterContractTest extends DatabaseAdapterContract {
    static final String SECRET = "pw-" + UUID.randomUUID() + ":with\\odd'chars\"";
    static final byte[] BINARY_KEY = {(byte) 0xff, 0, 1, 'k', '\r', '\n', ' '};

    private final Map<Integer, RedisServerProcess> servers = new HashMap<>();

    @Override
    protected DatabaseAdapter adapter() {
        return new RedisAdapter(Toolbox.fromEnvironment());
    }

    @Override
    protected DatabaseAdapter adapterWith(Toolbox toolbox) {
        return new RedisAdapter(toolbox);
    }

    @Override
    protected ConnectionSpec createScratch() throws Exception {
        RedisServerProcess s = RedisServerProcess.start(temp.resolve("redis-" + UUID.randomUUID()), SECRET);
        servers.put(s.port, s);
        return ConnectionSpec.server(SourceKind.REDIS, "127.0.0.1", s.port, null, null, Secret.of(SECRET), TlsMode.PREFER);
    }

    @Override
    protected ConnectionSpec newScratchName() throws Exception {
        return createScratch();
    }

    @Override
    protected void dropScratch(ConnectionSpec spec) {
        RedisServerProcess s = servers.remove(spec.port());
        if (s != null) {
            s.close();
        }
    }

    static RespClient client(ConnectionSpec spec) throws Exception {
        return RespClient.connect(spec.withDatabase(null));
    }

    @Override
    protected void populate(ConnectionSpec spec) throws Exception {
        try (RespClient c = client(spec)) {
            c.call("SELECT", 0);
            c.call("SET", "str:plain", "hello");
            c.call("SET", "str:int", "12345");
            c.call("SET", "str:big", "Lorem ipsum ñ 😀 ".repeat(5000));
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i;
            }
            c.call("SET", "str:binary", all);
            c.call("SET", "str:unicode", "名前 🪨 שלום");
            c.call("SET", BINARY_KEY, "value of a binary key");
            c.call("SET", "ttl:short", "expires in an hour", "EX", 3600);
            c.call("SET", "ttl:long", "expires in a day", "PX", 86_400_000L);
            c.call("HSET", "hash:small", "a", "1", "b", "", "ü", "unicode");
            List<Object> big = new ArrayList<>(List.of("HSET", "hash:big"));
            for (int i = 0; i < 1000; i++) {
                big.add("field" + i);
                big.add("value " + i);
            }
            c.call(big.toArray());
            c.call("HSET", "hash:ttl", "f", "v");
            c.call("PEXPIRE", "hash:ttl", 7_200_000L);
            c.call("RPUSH", "list:small", "x", "", "x", "3");
            List<Object> list = new ArrayList<>(List.of("RPUSH", "list:big"));
            for (int i = 0; i < 2000; i++) {
                list.add("item-" + i);
            }
            c.call(list.toArray());
            c.call("SADD", "set:ints", "1", "2", "3", "-7", "100000");
            c.call("SADD", "set:strs", "a", "b", "c");
            List<Object> set = new ArrayList<>(List.of("SADD", "set:big"));
            for (int i = 0; i < 1000; i++) {
                set.add("member-" + i);
            }
            c.call(set.toArray());
            c.call("ZADD", "zset:small", "1.5", "a", "-2", "b", "inf", "c");
            List<Object> zset = new ArrayList<>(List.of("ZADD", "zset:big"));
            for (int i = 0; i < 1000; i++) {
                zset.add(Double.toString(i * 0.25));
                zset.add("m" + i);
            }
            c.call(zset.toArray());
            for (int i = 1; i <= 50; i++) {
                c.call("XADD", "stream:events", i + "-1", "n", Integer.toString(i), "what", "event " + i);
            }
            c.call("XGROUP", "CREATE", "stream:events", "g1", "0");
            c.call("XREADGROUP", "GROUP", "g1", "consumer-a", "COUNT", "5", "STREAMS", "stream:events", ">");
            c.call("FUNCTION", "LOAD", "#!lua name=cairnlib\nredis.register_function('cairn_hello', function() return 'hi' end)");
            c.call("SELECT", 3);
            c.call("SET", "other:str", "in database 3");
            c.call("RPUSH", "other:list", "a", "b");
        }
    }

    @Override
    protected void addBulkData(ConnectionSpec spec) throws Exception {
        Random random = new Random(42);
        try (RespClient c = client(spec)) {
            c.call("SELECT", 5);
            for (int i = 0; i < 1200; i++) {
                byte[] v = new byte[10_000];
                random.nextBytes(v);
                c.send("SET", "bulk:" + i, v);
            }
            c.flush();
            for (int i = 0; i < 1200; i++) {
                c.read();
            }
        }
    }

    @SuppressWarnings("unchecked")
    @Override
    protected Map<String, String> fingerprint(ConnectionSpec spec) throws Exception {
        Map<String, String> f = new TreeMap<>();
        try (RespClient c = client(spec)) {
            for (int db = 0; db < 16; db++) {
                c.call("SELECT", db);
                String cursor = "0";
                do {
                    List<Object> reply = (List<Object>) c.call("SCAN", cursor, "COUNT", "1000");
                    cursor = RespClient.text(reply.get(0));
                    for (Object k : (List<Object>) reply.get(1)) {
                        byte[] key = (byte[]) k;
                        String type = RespClient.text(c.call("TYPE", key));
                        Object value = switch (type) {
                            case "string" -> c.call("GET", key);
                            case "hash" -> sortedPairs((List<Object>) c.call("HGETALL", key));
                            case "list" -> c.call("LRANGE", key, 0, -1);
                            case "set" -> sorted((List<Object>) c.call("SMEMBERS", key));
                            case "zset" -> c.call("ZRANGE", key, 0, -1, "WITHSCORES");
                            case "stream" -> List.of(c.call("XRANGE", key, "-", "+"), c.call("XINFO", "GROUPS", key),
                                    c.call("XPENDING", key, "g1"));
                            default -> "?";
                        };
                        long pttl = (Long) c.call("PTTL", key);
                        f.put("db" + db + " " + HexFormat.of().formatHex(key), type + " ttl=" + (pttl >= 0) + " " + digest(value));
                    }
                } while (!cursor.equals("0"));
            }
            f.put("functions", digest(c.call("FUNCTION", "LIST", "WITHCODE")));
        }
        return f;
    }

    private static List<String> sorted(List<Object> items) {
        return items.stream().map(o -> HexFormat.of().formatHex((byte[]) o)).sorted().toList();
    }

    private static List<String> sortedPairs(List<Object> items) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < items.size(); i += 2) {
            pairs.add(HexFormat.of().formatHex((byte[]) items.get(i)) + "=" + HexFormat.of().formatHex((byte[]) items.get(i + 1)));
        }
        pairs.sort(null);
        return pairs;
    }

    private static String digest(Object value) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        feed(md, value);
        return HexFormat.of().formatHex(md.digest()).substring(0, 24);
    }

    private static void feed(MessageDigest md, Object v) {
        if (v instanceof byte[] b) {
            md.update(("b" + b.length + ":").getBytes(StandardCharsets.US_ASCII));
            md.update(b);
        } else if (v instanceof List<?> l) {
            md.update(("l" + l.size() + ":").getBytes(StandardCharsets.US_ASCII));
            l.forEach(x -> feed(md, x));
        } else {
            md.update(("s" + v + ";").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    protected Map<String, Long> expectedCounts() {
        return Map.of("string", 9L, "hash", 3L, "list", 3L, "set", 3L, "zset", 2L, "stream", 1L);
    }

    @Override
    protected void verifyRestoredBehaviour(ConnectionSpec source, ConnectionSpec restored) throws Exception {
        try (RespClient s = client(source); RespClient r = client(restored)) {
            for (String key : List.of("ttl:short", "ttl:long", "hash:ttl")) {
                long before = (Long) s.call("PTTL", key);
                long after = (Long) r.call("PTTL", key);
                assertThat(after).as("TTL of " + key).isPositive().isCloseTo(before, org.assertj.core.data.Offset.offset(10_000L));
            }
            assertThat((Long) r.call("PTTL", "str:plain")).as("no TTL stays no TTL").isEqualTo(-1L);
            assertThat(RespClient.text(r.call("FCALL", "cairn_hello", 0))).isEqualTo("hi");
            assertThat(RespClient.text(r.call("OBJECT", "ENCODING", "set:ints"))).isEqualTo("intset");
            assertThat(RespClient.text(r.call("OBJECT", "ENCODING", "hash:big"))).isEqualTo("hashtable");
            assertThat(RespClient.text(r.call("OBJECT", "ENCODING", "zset:big"))).isEqualTo("skiplist");
            assertThat(RespClient.text(r.call("OBJECT", "ENCODING", "hash:small"))).isEqualTo("listpack");
            r.call("SELECT", 3);
            assertThat(RespClient.text(r.call("GET", "other:str"))).isEqualTo("in database 3");
        }
    }

    @Override
    protected String fakeToolOutput() {
        return "REDIS0010\\372\\011redis-ver\\0067.0.15";
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected List<String> tools() {
        return List.of("redis-cli");
    }

    @Override
    protected Optional<ConnectionSpec> withWrongPassword(ConnectionSpec good) {
        return Optional.of(good.withPassword(Secret.of("wrong-" + UUID.randomUUID())));
    }

    @Override
    protected ConnectionSpec withMissingDatabase(ConnectionSpec good) {
        return good.withDatabase("9999");
    }

    // ---------------------------------------------------------------- Redis specifics

    @Test
    void aTargetNamingOneDatabaseGetsOnlyThatDatabase() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        byte[] rdb = dumpFully(adapter(), source);
        ConnectionSpec target = scratchName().withDatabase("3");
        adapter().restore(target, new ByteArrayInputStream(rdb), RestoreOptions.defaults());
        try (RespClient c = client(target)) {
            assertThat((Long) c.call("DBSIZE")).as("database 0 stays empty").isZero();
            c.call("SELECT", 3);
            assertThat((Long) c.call("DBSIZE")).isEqualTo(2);
        }
    }

    @Test
    void flushingFirstLeavesExactlyTheBackupAndOnlyInTheNamedDatabase() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        Map<String, String> before = fingerprint(source);
        byte[] rdb = dumpFully(adapter(), source);
        try (RespClient c = client(source)) {
            c.call("SELECT", 0);
            c.call("SET", "stale:since-the-backup", "gone after the restore");
            c.call("DEL", "str:plain");
            c.call("SELECT", 3);
            c.call("SET", "stale:in-3", "gone too");
            c.call("SELECT", 9);
            c.call("SET", "kept:in-9", "not in the backup's databases: a one-database restore keeps it");
        }
        assertThatThrownBy(() -> new RestoreOptions(false, false, null, List.of(), true))
                .as("emptying first without overwriting is a contradiction").isInstanceOf(IllegalArgumentException.class);

        adapter().restore(source.withDatabase("3"), new ByteArrayInputStream(rdb), RestoreOptions.defaults().flushingFirst());
        try (RespClient c = client(source)) {
            c.call("SELECT", 3);
            assertThat(c.call("EXISTS", "stale:in-3")).isEqualTo(0L);
            assertThat((Long) c.call("DBSIZE")).isEqualTo(2);
            c.call("SELECT", 0);
            assertThat(c.call("EXISTS", "stale:since-the-backup")).as("database 0 was not named").isEqualTo(1L);
        }

        var result = adapter().restore(source, new ByteArrayInputStream(rdb), RestoreOptions.defaults().flushingFirst());
        assertThat(result.warnings()).anyMatch(w -> w.contains("emptied every database"));
        try (RespClient c = client(source)) {
            c.call("SELECT", 9);
            assertThat((Long) c.call("DBSIZE")).as("a whole-server restore empties every database first").isZero();
        }
        assertThat(fingerprint(source)).isEqualTo(before);
    }

    @Test
    void aTruncatedOrDamagedRdbIsRefused() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        byte[] rdb = dumpFully(adapter(), source);
        ConnectionSpec target = scratchName();
        byte[] truncated = java.util.Arrays.copyOf(rdb, rdb.length - 5);
        assertThatThrownBy(() -> adapter().restore(target, new ByteArrayInputStream(truncated), RestoreOptions.defaults()))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("truncated");
        byte[] damaged = rdb.clone();
        damaged[damaged.length - 3] ^= 0x55;
        ConnectionSpec target2 = scratchName();
        assertThatThrownBy(() -> adapter().restore(target2, new ByteArrayInputStream(damaged), RestoreOptions.defaults()))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("checksum");
    }

    @Test
    void keysThatExpiredSinceTheDumpAreNotRestored() throws Exception {
        ConnectionSpec source = scratch();
        try (RespClient c = client(source)) {
            c.call("SET", "soon", "x", "PX", 60_000);
            c.call("SET", "forever", "y");
        }
        byte[] rdb = dumpFully(adapter(), source);
        ConnectionSpec target = scratchName();
        java.time.Clock later = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(5));
        var result = new RedisAdapter(Toolbox.fromEnvironment(), later).restore(target, new ByteArrayInputStream(rdb),
                RestoreOptions.defaults());
        assertThat(result.warnings()).anyMatch(w -> w.contains("1 keys had expired"));
        try (RespClient c = client(target)) {
            assertThat((Long) c.call("EXISTS", "soon")).isZero();
            assertThat((Long) c.call("EXISTS", "forever")).isEqualTo(1);
        }
    }

    @Test
    void aServerWithoutPasswordSaysSoWhenGivenOne() throws Exception {
        ConnectionSpec source = scratch();
        assertThat(adapter().test(source.withPassword(Secret.none())).status()).isEqualTo(CheckStatus.WRONG_PASSWORD);
    }

    @Test
    void crc64MatchesRedis() {
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(data, 0, data.length)).isEqualTo(0xe9c6d914c4b8d9caL);
    }
}
