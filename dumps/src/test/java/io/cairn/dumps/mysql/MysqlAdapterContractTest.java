package io.cairn.dumps.mysql;

import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseAdapterContract;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.JdbcFingerprints;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.dumps.tool.Toolbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract against the real MariaDB on 127.0.0.1:3306, as a user of its own with a password. */
class MysqlAdapterContractTest extends DatabaseAdapterContract {
    static final String HOST = "127.0.0.1";
    static final int PORT = 3306;
    static final String USER = "cairn_u_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final String SECRET = "pw-" + UUID.randomUUID() + ":with\\odd'chars\"";
    static final int PEOPLE = 250;

    static Connection root(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("sslMode", "disable");
        return DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + PORT + "/" + (db == null ? "" : db), p);
    }

    static Connection asUser(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", SECRET);
        p.setProperty("sslMode", "disable");
        return DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + PORT + "/" + db, p);
    }

    @BeforeAll
    static void createUser() throws SQLException {
        try (Connection c = root(null); Statement st = c.createStatement()) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                st.execute("CREATE USER '" + USER + "'@'" + host + "' IDENTIFIED BY '"
                        + SECRET.replace("\\", "\\\\").replace("'", "''") + "'");
                st.execute("GRANT ALL PRIVILEGES ON `cairn\\_t\\_%`.* TO '" + USER + "'@'" + host + "'");
            }
        }
    }

    @AfterAll
    static void dropUser() throws SQLException {
        try (Connection c = root(null); Statement st = c.createStatement()) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                st.execute("DROP USER IF EXISTS '" + USER + "'@'" + host + "'");
            }
        }
    }

    @Override
    protected DatabaseAdapter adapter() {
        return new MysqlAdapter(Toolbox.fromEnvironment());
    }

    @Override
    protected DatabaseAdapter adapterWith(Toolbox toolbox) {
        return new MysqlAdapter(toolbox);
    }

    private static String randomDb() {
        return "cairn_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static ConnectionSpec spec(String db) {
        return ConnectionSpec.server(SourceKind.MYSQL, HOST, PORT, db, USER, Secret.of(SECRET), TlsMode.PREFER);
    }

    @Override
    protected ConnectionSpec createScratch() throws Exception {
        String db = randomDb();
        try (Connection c = root(null); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4");
        }
        return spec(db);
    }

    @Override
    protected ConnectionSpec newScratchName() {
        return spec(randomDb());
    }

    @Override
    protected void dropScratch(ConnectionSpec spec) throws Exception {
        try (Connection c = root(null); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS `" + spec.database() + "`");
        }
    }

    @Override
    protected void populate(ConnectionSpec spec) throws Exception {
        try (Connection c = asUser(spec.database()); Statement st = c.createStatement()) {
            for (String sql : List.of(
                    "CREATE TABLE people (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(200) NOT NULL, nick VARCHAR(50),"
                            + " born DATE, score DECIMAL(12,4), photo BLOB, doc JSON, created DATETIME(6))"
                            + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                    "CREATE TABLE audit (id BIGINT AUTO_INCREMENT PRIMARY KEY, person INT, what TEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                    "CREATE TRIGGER people_audit AFTER INSERT ON people FOR EACH ROW"
                            + " INSERT INTO audit (person, what) VALUES (NEW.id, CONCAT('inserted ', NEW.name))",
                    "CREATE FUNCTION add_score(a DECIMAL(12,4), b DECIMAL(12,4)) RETURNS DECIMAL(12,4) DETERMINISTIC RETURN a + b",
                    "CREATE PROCEDURE count_people(OUT n INT) SELECT COUNT(*) INTO n FROM people",
                    "CREATE VIEW adults AS SELECT id, name FROM people WHERE born < '2006-01-01'",
                    "CREATE TABLE `weird table` (`Key` VARCHAR(50) PRIMARY KEY, `value;--` TEXT, big LONGTEXT) DEFAULT CHARSET=utf8mb4",
                    "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit WHERE id < 0")) {
                st.execute(sql);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO people (name, nick, born, score, photo, doc, created)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < PEOPLE; i++) {
                    ps.setString(1, i % 3 == 0 ? "名前 " + i + " 🪨 שלום" : "person\t" + i + "\n'quoted' \\ back");
                    ps.setString(2, i % 4 == 0 ? null : "nick" + i);
                    ps.setObject(3, i % 5 == 0 ? null : java.time.LocalDate.of(1950 + i % 70, 1 + i % 12, 1 + i % 28));
                    ps.setBigDecimal(4, i % 7 == 0 ? null : new java.math.BigDecimal(i + ".1234"));
                    byte[] photo = new byte[256 + i];
                    for (int k = 0; k < photo.length; k++) {
                        photo[k] = (byte) (k * 31 + i);
                    }
                    ps.setBytes(5, i % 6 == 0 ? null : photo);
                    ps.setString(6, i % 8 == 0 ? null : "{\"n\": " + i + ", \"s\": \"ü-x\", \"nested\": {\"a\": [1, null]}}");
                    ps.setObject(7, i % 2 == 0 ? null : java.time.LocalDateTime.of(2024, 2, 29, 12, 0, 0, 123456000));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO `weird table` VALUES (?, ?, ?)")) {
                ps.setString(1, "large");
                ps.setString(2, null);
                ps.setString(3, "Lorem ipsum ñ 😀 ".repeat(70_000));
                ps.executeUpdate();
                ps.setString(1, "empty");
                ps.setString(2, "");
                ps.setString(3, "");
                ps.executeUpdate();
                ps.setString(1, "escapes");
                ps.setString(2, "\\.';--");
                ps.setString(3, "line1\nline2\r\n\\N\0nul");
                ps.executeUpdate();
            }
        }
    }

    @Override
    protected void addBulkData(ConnectionSpec spec) throws Exception {
        try (Connection c = asUser(spec.database()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bulk (id INT PRIMARY KEY, payload TEXT) ENGINE=InnoDB");
            st.execute("INSERT INTO bulk SELECT seq, REPEAT(MD5(seq), 6) FROM seq_1_to_60000");
        }
    }

    @Override
    protected Map<String, String> fingerprint(ConnectionSpec spec) throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        String db = spec.database();
        try (Connection c = asUser(db)) {
            List<String[]> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT table_name, table_type, auto_increment"
                    + " FROM information_schema.tables WHERE table_schema = ? ORDER BY 1")) {
                ps.setString(1, db);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tables.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
            }
            for (String[] t : tables) {
                if (t[1].contains("VIEW")) {
                    f.put("view " + t[0], JdbcFingerprints.of(c, "SELECT REPLACE(view_definition, '" + db + "', 'DB')"
                            + " FROM information_schema.views WHERE table_schema = '" + db + "' AND table_name = '" + t[0] + "'"));
                } else {
                    f.put("table " + t[0], JdbcFingerprints.of(c, "SELECT * FROM `" + t[0] + "` ORDER BY 1")
                            + " auto_increment " + t[2]);
                }
            }
            f.put("routines", JdbcFingerprints.of(c, "SELECT routine_name, routine_type, routine_definition"
                    + " FROM information_schema.routines WHERE routine_schema = '" + db + "' ORDER BY 1"));
            f.put("triggers", JdbcFingerprints.of(c, "SELECT trigger_name, action_timing, event_manipulation, action_statement"
                    + " FROM information_schema.triggers WHERE trigger_schema = '" + db + "' ORDER BY 1"));
            f.put("events", JdbcFingerprints.of(c, "SELECT event_name, event_definition, interval_value, status"
                    + " FROM information_schema.events WHERE event_schema = '" + db + "' ORDER BY 1"));
        }
        return f;
    }

    @Override
    protected List<String> someTables() {
        return List.of("people", "weird table");
    }

    @Override
    protected Map<String, Long> expectedCounts() {
        return Map.of("people", (long) PEOPLE, "audit", (long) PEOPLE, "weird table", 3L, "adults", -1L);
    }

    @Override
    protected void verifyRestoredBehaviour(ConnectionSpec source, ConnectionSpec restored) throws Exception {
        try (Connection c = asUser(restored.database()); Statement st = c.createStatement()) {
            st.execute("INSERT INTO people (name) VALUES ('after restore')");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(person) FROM audit")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the trigger fires in the restored database").isEqualTo(PEOPLE + 1);
                assertThat(rs.getLong(2)).as("auto_increment continued past the dumped rows").isGreaterThan(PEOPLE);
            }
            try (ResultSet rs = st.executeQuery("SELECT add_score(1.5, 2)")) {
                rs.next();
                assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("3.5");
            }
            st.execute("CALL count_people(@n)");
            try (ResultSet rs = st.executeQuery("SELECT @n")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(PEOPLE + 1);
            }
        }
        try (Connection src = asUser(source.database()); Connection dst = asUser(restored.database())) {
            String q = "SELECT auto_increment FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'people'";
            try (ResultSet a = src.createStatement().executeQuery(q); ResultSet b = dst.createStatement().executeQuery(q)) {
                a.next();
                b.next();
                assertThat(b.getLong(1)).as("the restored counter is one past the source's").isEqualTo(a.getLong(1) + 1);
            }
        }
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected List<String> tools() {
        return List.of("mariadb-dump", "mariadb");
    }

    @Override
    protected Optional<ConnectionSpec> withWrongPassword(ConnectionSpec good) {
        return Optional.of(good.withPassword(Secret.of("wrong-" + UUID.randomUUID())));
    }

    @Override
    protected ConnectionSpec withMissingDatabase(ConnectionSpec good) {
        return good.withDatabase("cairn_t_missing_" + UUID.randomUUID().toString().substring(0, 8));
    }

    // ---------------------------------------------------------------- MariaDB specifics

    @Test
    void oneDatabaseIsPlainSqlWithoutItsOwnName() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        String sql;
        try (Dump d = adapter().dump(source, DumpOptions.defaults())) {
            assertThat(d.filename()).isEqualTo(source.database() + ".sql");
            sql = new String(d.stream().readAllBytes(), StandardCharsets.UTF_8);
            d.awaitSuccess();
        }
        assertThat(sql).doesNotContain("CREATE DATABASE").doesNotContain("USE `" + source.database())
                .contains("CREATE TABLE `people`").contains("CREATE DEFINER").contains("0x")
                .doesNotContain("Dump completed on");
    }

    @Test
    void theOptionFileIsTheFirstArgumentAndGoneAfterTheDump() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        addBulkData(source);
        Path optionFile;
        try (Dump dump = adapter().dump(source, DumpOptions.defaults())) {
            dump.stream().readNBytes(1024);
            long pid = dump.process().orElseThrow().pid();
            String[] args = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0");
            assertThat(args[1]).startsWith("--defaults-extra-file=");
            optionFile = Path.of(args[1].substring("--defaults-extra-file=".length()));
            assertThat(Files.getPosixFilePermissions(optionFile))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            dump.stream().transferTo(java.io.OutputStream.nullOutputStream());
            dump.awaitSuccess();
        }
        assertThat(optionFile).doesNotExist();
    }

    @Test
    void allDatabasesDumpsEveryDatabaseWithItsCreateStatement() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        ConnectionSpec rootAll = ConnectionSpec.server(SourceKind.MYSQL, HOST, PORT, null, "root", Secret.none(), TlsMode.DISABLE);
        try (Dump d = adapter().dump(rootAll, DumpOptions.defaults())) {
            assertThat(d.filename()).isEqualTo("all-databases.sql");
            String sql = new String(d.stream().readAllBytes(), StandardCharsets.UTF_8);
            d.awaitSuccess();
            assertThat(sql).contains("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `" + source.database() + "`")
                    .contains("USE `" + source.database() + "`").contains("`mysql`");
        }
        assertThat(adapter().describe(rootAll).database(source.database())).isPresent();
    }
}
