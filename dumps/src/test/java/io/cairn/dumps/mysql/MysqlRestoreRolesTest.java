package io.cairn.dumps.mysql;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.RestoreResult;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.dumps.tool.Toolbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Roles and permissions of a MySQL/MariaDB restore ({@link RestoreOptions#roles()}), against the real MariaDB on
 * 127.0.0.1:3306: a database whose view, procedure and trigger are defined by an account of their own, with grants
 * to a second account (database- and table-level), is dumped as root and dropped with its accounts; restored without
 * roles its objects belong to the restoring user (even one without SUPER or CREATE USER) and no account is created;
 * restored with them the accounts come back as they were defined (their passwords work) and keep their grants on
 * the new database; accounts that exist are left as they are. Every account and database created here is dropped.
 */
class MysqlRestoreRolesTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 3306;

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String owner = "cairn_t_owner_" + suffix;
    private final String reader = "cairn_t_reader_" + suffix;
    private final String restorer = "cairn_t_restorer_" + suffix;
    private final String ownerPassword = "owner-" + suffix;
    private final String readerPassword = "reader-" + suffix;
    private final String source = "cairn_t_src_" + suffix;
    private final List<String> databases = new ArrayList<>();
    private final MysqlAdapter mysql = new MysqlAdapter(Toolbox.fromEnvironment());

    private static Connection login(String user, String password, String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("sslMode", "disable");
        return DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + PORT + "/" + (db == null ? "" : db), p);
    }

    private static void root(String... statements) throws SQLException {
        try (Connection c = login("root", null, null); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String value(String db, String query) throws SQLException {
        try (Connection c = login("root", null, db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static List<String> grants(String account) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Connection c = login("root", null, null); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW GRANTS FOR " + account)) {
            while (rs.next()) {
                grants.add(rs.getString(1));
            }
        }
        return grants;
    }

    private static boolean canLogIn(String user, String password) {
        try (Connection ignored = login(user, password, null)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private String acct(String user) {
        return "'" + user + "'@'%'";
    }

    private ConnectionSpec as(String user, String db) {
        return ConnectionSpec.server(SourceKind.MYSQL, HOST, PORT, db, user, Secret.none(), TlsMode.DISABLE);
    }

    private String newName() {
        String db = "cairn_t_rr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        databases.add(db);
        return db;
    }

    private boolean accountExists(String user) throws SQLException {
        return value(null, "SELECT count(*) FROM mysql.user WHERE user = '" + user + "'").equals("1");
    }

    @BeforeEach
    void sourceDefinedByItsOwnAccounts() throws Exception {
        databases.add(source);
        root("CREATE USER " + acct(owner) + " IDENTIFIED BY '" + ownerPassword + "'",
                "CREATE USER " + acct(reader) + " IDENTIFIED BY '" + readerPassword + "'",
                "CREATE USER " + acct(restorer),
                "GRANT ALL PRIVILEGES ON `cairn\\_t\\_%`.* TO " + acct(restorer),
                "CREATE DATABASE " + source + " CHARACTER SET utf8mb4",
                "GRANT ALL PRIVILEGES ON " + source + ".* TO " + acct(owner),
                "GRANT SELECT ON " + source + ".* TO " + acct(reader));
        try (Connection c = login("root", null, source); Statement st = c.createStatement()) {
            for (String s : List.of("CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(50))",
                    "INSERT INTO orders SELECT seq, CONCAT('order ', seq) FROM seq_1_to_120",
                    "CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(50))",
                    "CREATE DEFINER=" + acct(owner) + " SQL SECURITY DEFINER VIEW big_orders AS"
                            + " SELECT * FROM orders WHERE id > 100",
                    "CREATE DEFINER=" + acct(owner) + " PROCEDURE count_orders(OUT n INT) SELECT COUNT(*) INTO n FROM orders",
                    "CREATE DEFINER=" + acct(owner) + " TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW"
                            + " INSERT INTO audit (what) VALUES (CONCAT('order ', NEW.id))",
                    "GRANT INSERT ON " + source + ".orders TO " + acct(reader))) {
                st.execute(s);
            }
        }
    }


    @AfterEach
    void dropEverything() throws Exception {
        for (String db : databases) {
            root("DROP DATABASE IF EXISTS `" + db + "`");
        }
        root("DROP USER IF EXISTS " + acct(owner), "DROP USER IF EXISTS " + acct(reader), "DROP USER IF EXISTS " + acct(restorer));
    }

    private byte[] dumpSource() throws Exception {
        try (Dump d = mysql.dump(as("root", source), DumpOptions.defaults())) {
            byte[] bytes = d.stream().readAllBytes();
            d.awaitSuccess();
            return bytes;
        }
    }

    private void dropSourceAndAccounts() throws Exception {
        root("DROP DATABASE " + source, "DROP USER " + acct(owner), "DROP USER " + acct(reader));
    }

    private String definer(String db, String table, String column, String where) throws SQLException {
        return value(null, "SELECT " + column + " FROM information_schema." + table + " WHERE " + where + " = '" + db + "'");
    }

    @Test
    void theDumpStartsWithTheAccountsAndTheirGrantsOnTheDatabaseOnly() throws Exception {
        String sql = new String(dumpSource(), StandardCharsets.UTF_8);
        assertThat(sql).startsWith(MysqlAccounts.MAGIC + "`" + source + "`\n")
                .contains("-- cairn-account CREATE USER `" + owner + "`@`%` IDENTIFIED BY PASSWORD '*")
                .contains("-- cairn-account CREATE USER `" + reader + "`@`%`")
                .contains("-- cairn-grant GRANT SELECT ON `" + source + "`.* TO `" + reader + "`@`%`")
                .contains("-- cairn-grant GRANT INSERT ON `" + source + "`.`orders` TO `" + reader + "`@`%`")
                .doesNotContain("ON `mysql`").doesNotContain("ON *.*").contains(MysqlAccounts.END + "\n")
                .contains("CREATE TABLE `orders`");
        assertThat(sql.indexOf(MysqlAccounts.END)).isLessThan(sql.indexOf("CREATE TABLE"));
    }

    @Test
    void withoutRolesTheObjectsBelongToTheRestoringUserAndNoAccountIsCreated() throws Exception {
        byte[] dump = dumpSource();
        dropSourceAndAccounts();
        String target = newName();

        RestoreResult r = mysql.restore(as(restorer, target), new ByteArrayInputStream(dump),
                RestoreOptions.defaults().creatingDatabase());

        assertThat(r.bytesRead()).isEqualTo(dump.length);
        assertThat(r.restored().database(target).orElseThrow().object("orders").orElseThrow().count()).isEqualTo(120);
        String me = restorer + "@%";
        assertThat(definer(target, "views", "definer", "table_schema")).isEqualTo(me);
        assertThat(definer(target, "routines", "definer", "routine_schema")).isEqualTo(me);
        assertThat(definer(target, "triggers", "definer", "trigger_schema")).isEqualTo(me);
        assertThat(accountExists(owner) || accountExists(reader)).as("no account created").isFalse();
        try (Connection c = login(restorer, null, target); Statement st = c.createStatement()) {
            st.execute("INSERT INTO orders VALUES (500, 'after restore')");
            try (ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM big_orders), (SELECT COUNT(*) FROM audit)")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the view works").isEqualTo(21);
                assertThat(rs.getInt(2)).as("the trigger fires").isEqualTo(1);
            }
        }
    }

    @Test
    void withRolesTheAccountsComeBackAsDefinedWithTheirGrantsOnTheNewDatabase() throws Exception {
        byte[] dump = dumpSource();
        dropSourceAndAccounts();
        String target = newName();

        RestoreResult r = mysql.restore(as("root", target), new ByteArrayInputStream(dump),
                RestoreOptions.defaults().creatingDatabase().withRoles(true));

        assertThat(r.bytesRead()).isEqualTo(dump.length);
        assertThat(canLogIn(owner, ownerPassword)).as("recreated with its password").isTrue();
        assertThat(canLogIn(reader, readerPassword)).isTrue();
        String ownerAt = owner + "@%";
        assertThat(definer(target, "views", "definer", "table_schema")).isEqualTo(ownerAt);
        assertThat(definer(target, "routines", "definer", "routine_schema")).isEqualTo(ownerAt);
        assertThat(definer(target, "triggers", "definer", "trigger_schema")).isEqualTo(ownerAt);
        assertThat(grants(acct(reader))).contains("GRANT SELECT ON `" + target + "`.* TO `" + reader + "`@`%`",
                "GRANT INSERT ON `" + target + "`.`orders` TO `" + reader + "`@`%`");
        assertThat(grants(acct(owner))).contains("GRANT ALL PRIVILEGES ON `" + target + "`.* TO `" + owner + "`@`%`");
        try (Connection c = login(reader, readerPassword, target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM big_orders")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the reader reads through the owner's view").isEqualTo(20);
        }
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("created accounts") && w.contains(owner) && w.contains(reader));
    }

    @Test
    void withRolesAccountsThatExistAreLeftAsTheyAre() throws Exception {
        byte[] dump = dumpSource();
        dropSourceAndAccounts();
        root("CREATE USER " + acct(owner) + " IDENTIFIED BY 'changed-" + suffix + "'");
        String target = newName();

        RestoreResult r = mysql.restore(as("root", target), new ByteArrayInputStream(dump),
                RestoreOptions.defaults().creatingDatabase().withRoles(true));

        assertThat(canLogIn(owner, "changed-" + suffix)).as("its password was not reset").isTrue();
        assertThat(canLogIn(owner, ownerPassword)).isFalse();
        assertThat(canLogIn(reader, readerPassword)).as("the missing one was created").isTrue();
        assertThat(definer(target, "views", "definer", "table_schema")).isEqualTo(owner + "@%");
        assertThat(grants(acct(owner))).contains("GRANT ALL PRIVILEGES ON `" + target + "`.* TO `" + owner + "`@`%`");
        assertThat(r.warnings()).anyMatch(w -> w.contains(owner) && w.contains("already existed")
                && w.contains("passwords unchanged"));
    }

    @Test
    void withRolesAUserThatMayNotCreateAccountsIsRefusedBeforeAnyTableIsLoaded() throws Exception {
        byte[] dump = dumpSource();
        dropSourceAndAccounts();
        String target = newName();

        assertThatThrownBy(() -> mysql.restore(as(restorer, target), new ByteArrayInputStream(dump),
                RestoreOptions.defaults().creatingDatabase().withRoles(true)))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.status()).as(e.getMessage()).isEqualTo(CheckStatus.PERMISSION_DENIED);
                    assertThat(e.getMessage()).contains("restore without roles and permissions");
                });
        assertThat(value(null, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '" + target + "'"))
                .as("the target was not created").isEqualTo("0");
    }

    @Test
    void aDumpWithoutAnAccountsBlockStillRestoresEitherWay() throws Exception {
        String full = new String(dumpSource(), StandardCharsets.UTF_8);
        byte[] old = full.substring(full.indexOf(MysqlAccounts.END) + MysqlAccounts.END.length() + 1)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(new String(old, StandardCharsets.UTF_8)).doesNotContain("cairn-");

        String without = newName();
        mysql.restore(as("root", without), new ByteArrayInputStream(old), RestoreOptions.defaults().creatingDatabase());
        assertThat(definer(without, "views", "definer", "table_schema")).isEqualTo("root@127.0.0.1");

        String with = newName();
        RestoreResult r = mysql.restore(as("root", with), new ByteArrayInputStream(old),
                RestoreOptions.defaults().creatingDatabase().withRoles(true));
        assertThat(definer(with, "views", "definer", "table_schema")).as("kept as written").isEqualTo(owner + "@%");
        assertThat(r.warnings()).anyMatch(w -> w.contains("records no accounts"));
    }

    @Test
    void allDatabasesWithRolesReplacesTheServersAccountsSoItNeedsOverwrite() {
        byte[] script = "-- MariaDB dump 10.19\n-- Current Database: `mysql`\nSELECT 1;\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> mysql.restore(as("root", null), new ByteArrayInputStream(script),
                RestoreOptions.defaults().withRoles(true)))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.status()).isEqualTo(CheckStatus.TARGET_NOT_EMPTY);
                    assertThat(e.getMessage()).contains("replaces the accounts").contains("passwords included")
                            .contains("choose to overwrite");
                });
    }

    @Test
    void theFilterTurnsDefinersIntoTheRestoringUserOrSkipsTheSystemDatabase() throws Exception {
        String script = String.join("\n",
                "/*!50013 DEFINER=`app`@`%` SQL SECURITY DEFINER */",
                "CREATE DEFINER=`o``dd`@`localhost` PROCEDURE `p`()",
                "/*!50003 CREATE*/ /*!50017 DEFINER=`app`@`10.0.0.%`*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a = 1 */;;",
                "/*!50106 CREATE*/ /*!50117 DEFINER=`app`@`%`*/ /*!50106 EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1 */ ;;",
                "INSERT INTO `notes` VALUES (1,'CREATE DEFINER=`x`@`y` stays');",
                "-- Current Database: `mysql`",
                "INSERT INTO `global_priv` VALUES ('localhost','root','{}');",
                "-- Current Database: `shop`",
                "USE `shop`;",
                "");
        String definers = new String(new AccountFilter(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)),
                AccountFilter.Mode.DEFINERS).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(definers).isEqualTo(script.replace("DEFINER=`app`@`%` SQL", "DEFINER=CURRENT_USER SQL")
                .replace("DEFINER=`o``dd`@`localhost`", "DEFINER=CURRENT_USER")
                .replace("DEFINER=`app`@`10.0.0.%`", "DEFINER=CURRENT_USER")
                .replace("DEFINER=`app`@`%`*/ /*!50106 EVENT", "DEFINER=CURRENT_USER*/ /*!50106 EVENT"));
        String system = new String(new AccountFilter(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)),
                AccountFilter.Mode.SYSTEM_DATABASE).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(system).doesNotContain("global_priv").doesNotContain("`mysql`").contains("-- Current Database: `shop`\nUSE `shop`;")
                .contains("DEFINER=`app`@`%` SQL").contains("INSERT INTO `notes`");
    }
}
