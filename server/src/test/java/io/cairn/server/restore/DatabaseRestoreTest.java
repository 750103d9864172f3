package io.cairn.server.restore;

import static io.cairn.server.job.BackupTestSupport.*;
import static io.cairn.server.restore.RestoreTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Restores of database backups through the API, against the real PostgreSQL and MariaDB on this machine:
 * into a new database by default (the rows are back, the operation reports the counts), over an existing
 * database only with overwrite and the typed name, and only by operators; every restore is audited.
 */
class DatabaseRestoreTest extends ServerTestBase {

    private TestHttp api;
    private final List<String> pgDatabases = new ArrayList<>();
    private final List<String> mariaDatabases = new ArrayList<>();

    @BeforeEach
    void operator() {
        api = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
    }

    @AfterEach
    void dropDatabases() throws Exception {
        for (String db : pgDatabases) {
            for (String name : postgresNames(db + "%")) {
                postgres("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
        for (String db : mariaDatabases) {
            mariadb("DROP DATABASE IF EXISTS " + db);
        }
    }

    private String newPostgresDatabase() throws Exception {
        String db = randomName("cairn_rst_");
        postgres("postgres", "CREATE DATABASE " + db);
        pgDatabases.add(db);
        postgres(db, "CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(10,2));"
                + "INSERT INTO orders SELECT g, 'customer ' || g, g * 1.25 FROM generate_series(1, 1500) g;"
                + "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);"
                + "INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, 40) g;");
        return db;
    }

    private long postgresSource(String db) {
        return createSource(api, "{\"name\":\"pg " + db + "\",\"type\":\"POSTGRESQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"postgres\",\"tlsMode\":\"DISABLE\"}");
    }

    private static List<String> postgresNames(String like) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + like + "'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void a_postgresql_backup_restores_into_a_new_database_by_default() throws Exception {
        String db = newPostgresDatabase();
        long backup = backUp(api, postgresSource(db));

        var plan = parse(api.postJson("/api/v1/backup/" + backup + "/restore/plan", "{}").body());
        assertThat(plan.get("overwrites").asBoolean()).isFalse();
        assertThat(plan.get("target").asText()).contains("new database").contains(db + "_restored_");

        long op = startRestore(api, backup, "{}");
        JsonNode r = awaitRestore(api, op, Duration.ofMinutes(2));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.get("overwrites").asBoolean()).isFalse();
        assertThat(r.get("result").get("databases").asLong()).isEqualTo(1);
        assertThat(r.get("result").get("tables").asLong()).isEqualTo(2);
        assertThat(r.get("result").get("rows").asLong()).isEqualTo(1540);
        assertThat(r.get("progress").get("stepNumber").asInt()).isEqualTo(2);
        assertThat(r.get("progress").get("current").asLong()).isEqualTo(r.get("progress").get("total").asLong())
                .isPositive();

        List<String> restored = postgresNames(db + "_restored_%");
        assertThat(restored).hasSize(1);
        assertThat(postgresValue(restored.get(0), "SELECT count(*) || ':' || sum(amount) FROM orders"))
                .isEqualTo("1500:1407187.50");
        assertThat(postgresValue(restored.get(0), "SELECT count(*) FROM items")).isEqualTo("40");

        JsonNode status = parse(api.get("/api/v1/backup/" + backup + "/restore/status").body());
        assertThat(status.get("operationId").asLong()).isEqualTo(op);
        assertThat(parse(api.get("/api/v1/backup/" + backup + "/restores").body())).hasSize(1);

        TestHttp admin = http().withBearer(tokenFor(newUser(Role.ADMIN)));
        JsonNode audit = parse(admin.get("/api/v1/audit?action=restore.&q=restore%20" + op).body());
        assertThat(audit.get("items").findValuesAsString("action")).contains("restore.started", "restore.succeeded");
    }

    @Test
    void restoring_over_a_database_that_holds_data_needs_overwrite_and_the_typed_name() throws Exception {
        String db = newPostgresDatabase();
        String owner = randomName("cairn_rst_app_");
        postgres(db, "CREATE ROLE " + owner + " NOLOGIN; ALTER TABLE orders OWNER TO " + owner);
        try {
            restoreOverItself(db, owner);
        } finally {
            postgres(db, "REASSIGN OWNED BY " + owner + " TO postgres; DROP OWNED BY " + owner);
            postgres("postgres", "DROP ROLE IF EXISTS " + owner);
        }
    }

    private void restoreOverItself(String db, String owner) throws Exception {
        long backup = backUp(api, postgresSource(db));
        postgres(db, "DELETE FROM orders WHERE id > 10; UPDATE items SET name = 'changed'");

        var plan = parse(api.postJson("/api/v1/backup/" + backup + "/restore/plan", "{\"database\":\"" + db + "\"}").body());
        assertThat(plan.get("overwrites").asBoolean()).isTrue();
        assertThat(plan.get("details").get("withRoles").asBoolean()).as("in place, owners and grants are kept "
                + "unless asked otherwise").isTrue();
        assertThat(plan.get("existing").asText()).isEqualTo("2 tables, 50 rows");
        assertThat(plan.get("confirmationText").asText()).isEqualTo(db);

        var refused = api.postJson("/api/v1/backup/" + backup + "/restore", "{\"database\":\"" + db + "\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("already holds 2 tables, 50 rows").contains("overwrite");
        var unconfirmed = api.postJson("/api/v1/backup/" + backup + "/restore",
                "{\"database\":\"" + db + "\",\"overwrite\":true,\"confirm\":\"yes\"}");
        assertThat(unconfirmed.statusCode()).isEqualTo(409);
        assertThat(unconfirmed.body()).contains("repeat \\\"" + db + "\\\"");
        assertThat(postgresValue(db, "SELECT count(*) FROM orders")).isEqualTo("10");

        long op = startRestore(api, backup, "{\"database\":\"" + db + "\",\"overwrite\":true,\"confirm\":\"" + db + "\"}");
        JsonNode r = awaitRestore(api, op, Duration.ofMinutes(2));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.get("overwrites").asBoolean()).isTrue();
        assertThat(postgresValue(db, "SELECT count(*) FROM orders")).isEqualTo("1500");
        assertThat(postgresValue(db, "SELECT count(DISTINCT name) FROM items")).isEqualTo("40");
        assertThat(postgresValue(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'"))
                .as("the table's owner survives a restore in place").isEqualTo(owner);
    }

    @Test
    void only_the_tables_asked_for_are_restored() throws Exception {
        String db = newPostgresDatabase();
        long backup = backUp(api, postgresSource(db));
        String target = db + "_items";

        var unknown = api.postJson("/api/v1/backup/" + backup + "/restore", "{\"tables\":[\"public.nope\"]}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("The backup has no table public.nope").contains("public.items");

        long op = startRestore(api, backup, "{\"database\":\"" + target + "\",\"tables\":[\"public.items\"]}");
        JsonNode r = awaitRestore(api, op, Duration.ofMinutes(2));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.get("result").get("tables").asLong()).isEqualTo(1);
        assertThat(r.get("result").get("rows").asLong()).isEqualTo(40);
        assertThat(postgresValue(target, "SELECT count(*) FROM items")).isEqualTo("40");
        assertThat(postgresValue(target, "SELECT count(*) FROM pg_tables WHERE tablename = 'orders'")).isEqualTo("0");
    }

    /**
     * MongoDB: no mongod exists on this machine, so the source is mongo-java-server in process (as in module dumps'
     * contract test): real wire protocol, real backup into the repository, real restore through the API and wizard.
     */
    @Test
    void only_the_mongodb_collections_asked_for_are_restored_and_the_others_stay() throws Exception {
        de.bwaldvogel.mongo.MongoServer mongo = new de.bwaldvogel.mongo.MongoServer(
                new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        java.net.InetSocketAddress at = mongo.getLocalAddress();
        try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(
                "mongodb://127.0.0.1:" + at.getPort())) {
            var shop = client.getDatabase("shop");
            var orders = shop.getCollection("orders");
            for (int i = 1; i <= 120; i++) {
                orders.insertOne(new org.bson.Document("_id", i).append("ref", "R-" + i).append("amount", i * 1.5));
            }
            orders.createIndex(new org.bson.Document("ref", 1), new com.mongodb.client.model.IndexOptions()
                    .name("ref_unique").unique(true));
            for (int i = 1; i <= 30; i++) {
                shop.getCollection("customers").insertOne(new org.bson.Document("_id", i).append("name", "c" + i));
            }
            long source = createSource(api, "{\"name\":\"mongo " + at.getPort() + "\",\"type\":\"MONGODB\","
                    + "\"host\":\"127.0.0.1\",\"port\":" + at.getPort() + ",\"database\":\"shop\",\"tlsMode\":\"DISABLE\"}");
            long backup = backUp(api, source);

            var unknown = api.postJson("/api/v1/backup/" + backup + "/restore", "{\"tables\":[\"nope\"]}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("The backup has no collection nope").contains("customers, orders");

            // A collection dropped by mistake comes back into the live database: nothing there is overwritten.
            orders.drop();
            shop.getCollection("customers").deleteMany(new org.bson.Document());
            shop.getCollection("customers").insertOne(new org.bson.Document("_id", "new since the backup"));
            String body = "{\"database\":\"shop\",\"tables\":[\"orders\"]}";
            JsonNode plan = parse(api.postJson("/api/v1/backup/" + backup + "/restore/plan", body).body());
            assertThat(plan.get("overwrites").asBoolean()).as(plan.toString()).isFalse();
            assertThat(plan.get("existing").asText()).isEqualTo("1 collection, 1 document");
            assertThat(plan.get("details").get("tables").get(0).asText()).isEqualTo("orders");
            assertThat(plan.get("notes").toString()).contains("Only collection orders")
                    .contains("other collections are left as they are");
            JsonNode r = awaitRestore(api, startRestore(api, backup, body), Duration.ofMinutes(1));
            assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
            assertThat(r.get("overwrites").asBoolean()).isFalse();
            assertThat(r.get("result").get("tables").asLong()).isEqualTo(1);
            assertThat(r.get("result").get("rows").asLong()).isEqualTo(120);
            assertThat(orders.countDocuments()).isEqualTo(120);
            assertThat(orders.listIndexes().map(i -> i.getString("name")).into(new ArrayList<>())).contains("ref_unique");
            assertThat(shop.getCollection("customers").countDocuments()).as("not chosen: left as it was").isEqualTo(1);

            // Over a collection that is there: overwrite and the typed name, and only that collection changes.
            orders.deleteMany(new org.bson.Document("_id", new org.bson.Document("$gt", 10)));
            plan = parse(api.postJson("/api/v1/backup/" + backup + "/restore/plan", body).body());
            assertThat(plan.get("overwrites").asBoolean()).isTrue();
            assertThat(plan.get("existing").asText()).isEqualTo("2 collections, 11 documents, among them orders (10 documents)");
            assertThat(plan.get("notes").toString()).contains("Replaced (dropped, then restored from the backup): "
                    + "collection orders (10 documents)");
            var refused = api.postJson("/api/v1/backup/" + backup + "/restore", body);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("among them orders (10 documents)").contains("overwrite");
            long op = startRestore(api, backup, "{\"database\":\"shop\",\"tables\":[\"orders\"],\"overwrite\":true,"
                    + "\"confirm\":\"shop\"}");
            r = awaitRestore(api, op, Duration.ofMinutes(1));
            assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
            assertThat(r.get("overwrites").asBoolean()).isTrue();
            assertThat(orders.countDocuments()).isEqualTo(120);
            assertThat(shop.getCollection("customers").countDocuments()).isEqualTo(1);

            // The wizard offers the collections as it offers tables, and the review names them.
            TestHttp web = signedInAs(newUser(Role.OPERATOR).username());
            String what = web.get("/restore/what?backup=" + backup).body();
            assertThat(what).contains("Only some collections").contains("value=\"orders\"").contains("value=\"customers\"")
                    .contains("orders · 120 documents").doesNotContain("Only some tables").doesNotContain("Roles and permissions");
            String review = web.get("/restore/review?backup=" + backup + "&database=shop_copy&tables=customers").body();
            assertThat(review).contains("<dt class=\"col-sm-3\">Collections</dt>").contains("customers")
                    .contains("Only collection customers").contains("Nothing that exists is changed");
        } finally {
            mongo.shutdownNow();
        }
        JsonNode tables = parse(api.get("/api/openapi").body()).path("components").path("schemas").path("RestoreRequest")
                .path("properties").path("tables");
        assertThat(tables.path("description").asText()).as(tables.toString()).contains("MongoDB collections")
                .contains("without its database");
    }

    @Test
    void a_redis_backup_restores_into_the_live_server_emptying_it_first_only_when_confirmed() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cairn-redis-restore");
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            for (int i = 0; i < 200 && !redisCli(port, "PING").contains("PONG"); i++) {
                Thread.sleep(50);
            }
            assertThat(redisCli(port, "SET", "greeting", "hello")).contains("OK");
            redisCli(port, "SET", "session", "abc", "EX", "3600");
            long source = createSource(api, "{\"name\":\"redis " + port + "\",\"type\":\"REDIS\",\"host\":\"127.0.0.1\","
                    + "\"port\":" + port + ",\"tlsMode\":\"DISABLE\"}");
            long backup = backUp(api, source);
            redisCli(port, "DEL", "session");
            redisCli(port, "SET", "stale", "written after the backup");
            String address = "127.0.0.1:" + port;

            var plain = api.postJson("/api/v1/backup/" + backup + "/restore", "{}");
            assertThat(plain.statusCode()).as(plain.body()).isEqualTo(409);
            var unconfirmed = api.postJson("/api/v1/backup/" + backup + "/restore",
                    "{\"overwrite\":true,\"flushFirst\":true}");
            assertThat(unconfirmed.statusCode()).isEqualTo(409);
            assertThat(unconfirmed.body()).contains(address);
            assertThat(redisCli(port, "EXISTS", "stale")).contains("1");

            long op = startRestore(api, backup, "{\"overwrite\":true,\"flushFirst\":true,\"confirm\":\"" + address + "\"}");
            JsonNode r = awaitRestore(api, op, Duration.ofMinutes(1));
            assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
            assertThat(redisCli(port, "EXISTS", "stale")).as("emptied first").contains("0");
            assertThat(redisCli(port, "GET", "greeting")).contains("hello");
            long ttl = Long.parseLong(redisCli(port, "TTL", "session").replaceAll("[^0-9]", ""));
            assertThat(ttl).isBetween(3000L, 3600L);
        } finally {
            redis.destroyForcibly();
        }
    }

    private static String redisCli(int port, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    @Test
    void a_cancelled_database_restore_stops_its_tool_and_changes_nothing() throws Exception {
        String db = newPostgresDatabase();
        long backup = backUp(api, postgresSource(db));
        postgres(db, "DELETE FROM orders WHERE id > 10");
        try (Connection lock = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"); // pg_restore --clean waits for it
            }
            long op = startRestore(api, backup, "{\"database\":\"" + db + "\",\"overwrite\":true,\"confirm\":\"" + db + "\"}");
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
            while (!parse(api.get("/api/v1/restores/" + op).body()).get("progress").get("stepNumber").asText().equals("2")
                    && java.time.Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            Thread.sleep(500); // the tool is now waiting for the lock
            var cancel = api.postJson("/api/v1/restores/" + op + "/cancel", "");
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            JsonNode r = awaitRestore(api, op, Duration.ofSeconds(30));
            assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("CANCELLED");
            assertThat(r.get("error").asText()).contains("Cancelled by a user").contains("rolled back");
            lock.rollback();
        }
        Thread.sleep(1000);
        assertThat(postgresValue(db, "SELECT count(*) FROM orders")).as("the cancelled restore's transaction was "
                + "rolled back").isEqualTo("10");
        var again = api.postJson("/api/v1/restores/" + parse(api.get("/api/v1/backup/" + backup + "/restore/status")
                .body()).get("operationId").asLong() + "/cancel", "");
        assertThat(again.statusCode()).as("an ended restore cannot be cancelled").isEqualTo(409);
    }

    @Test
    void the_wizard_names_what_a_database_restore_overwrites_and_wants_its_name_typed() throws Exception {
        String db = newPostgresDatabase();
        long backup = backUp(api, postgresSource(db));
        TestHttp web = signedInAs(newUser(Role.OPERATOR).username());
        String what = web.get("/restore/what?backup=" + backup).body();
        assertThat(what).contains("Database to restore into").contains(db + "_restored_")
                .contains("Only some tables").contains("value=\"public.orders\"");

        String query = "backup=" + backup + "&database=" + db + "&overwrite=true&tables=public.items";
        String review = web.get("/restore/review?" + query).body();
        assertThat(review).contains("This restore overwrites existing data").contains("2 tables, 1,540 rows")
                .contains("To confirm, type").contains("public.items").contains("Overwrite and restore");
        Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of("backup", String.valueOf(backup),
                "database", db, "overwrite", "true", "tables", "public.items", "confirm", "not the name"));
        var wrong = web.postForm("/restore/review?" + query, "/restores", fields);
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("To go ahead, repeat").contains("Review your restore");
        fields.put("confirm", db);
        var started = web.postForm("/restore/review?" + query, "/restores", fields);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(302);
        long op = Long.parseLong(TestHttp.location(started).replaceAll(".*/restores/", ""));
        JsonNode r = awaitRestore(api, op, Duration.ofMinutes(2));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.get("result").get("tables").asLong()).isEqualTo(1);
        assertThat(web.get("/restores/" + op).body()).contains("Restore completed successfully").contains("public.items");
    }

    @Test
    void a_mariadb_backup_restores_into_a_new_database() throws Exception {
        String db = randomName("cairn_rst_");
        mariaDatabases.add(db);
        mariadb("CREATE DATABASE " + db);
        mariadb("CREATE TABLE " + db + ".people (id int PRIMARY KEY, name varchar(40))");
        mariadb("INSERT INTO " + db + ".people SELECT seq, concat('person ', seq) FROM " + db + ".seq_1_to_250");
        long source = createSource(api, "{\"name\":\"maria " + db + "\",\"type\":\"MYSQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"root\",\"tlsMode\":\"DISABLE\"}");
        long backup = backUp(api, source);
        String target = db + "_copy";
        mariaDatabases.add(target);

        long op = startRestore(api, backup, "{\"database\":\"" + target + "\"}");
        JsonNode r = awaitRestore(api, op, Duration.ofMinutes(2));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.get("result").get("rows").asLong()).isEqualTo(250);
        assertThat(mariadbValue("SELECT count(*) FROM " + target + ".people")).isEqualTo("250");
    }

    @Test
    void bad_targets_are_refused_with_a_message_that_says_what_to_do() throws Exception {
        String db = newPostgresDatabase();
        long backup = backUp(api, postgresSource(db));

        var badName = api.postJson("/api/v1/backup/" + backup + "/restore", "{\"database\":\"x; DROP TABLE orders\"}");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("is not a database name").contains("letters, digits");
        var folder = api.postJson("/api/v1/backup/" + backup + "/restore", "{\"path\":\"/tmp/x\"}");
        assertThat(folder.statusCode()).isEqualTo(400);
        assertThat(folder.body()).contains("restores into a database");
        var missing = api.postJson("/api/v1/backup/987654321/restore", "{}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(parse(api.get("/api/v1/backup/" + backup + "/restores").body())).isEmpty();
    }

    @Test
    void only_operators_restore_and_viewers_see_the_history() throws Exception {
        String db = newPostgresDatabase();
        long backup = backUp(api, postgresSource(db));
        TestHttp viewer = http().withBearer(tokenFor(newUser(Role.VIEWER)));

        assertThat(viewer.postJson("/api/v1/backup/" + backup + "/restore", "{}").statusCode()).isEqualTo(403);
        assertThat(viewer.postJson("/api/v1/backup/" + backup + "/restore/plan", "{}").statusCode()).isEqualTo(403);
        assertThat(postgresNames(db + "_restored_%")).isEmpty();
        assertThat(viewer.get("/api/v1/backup/" + backup + "/restores").statusCode()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/restores").statusCode()).isEqualTo(200);
    }
}
