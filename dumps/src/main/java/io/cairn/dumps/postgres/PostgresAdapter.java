package io.cairn.dumps.postgres;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionCheck;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseDescription;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.DatabaseInfo;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpFailedException;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.ObjectInfo;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.RestoreResult;
import io.cairn.dumps.SecretMasker;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.dumps.tool.ProcessDump;
import io.cairn.dumps.tool.SecretFile;
import io.cairn.dumps.tool.ToolCommand;
import io.cairn.dumps.tool.ToolRunner;
import io.cairn.dumps.tool.Toolbox;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL through {@code pg_dump}, {@code pg_dumpall}, {@code pg_restore} and {@code psql}, with
 * JDBC for tests and descriptions.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li><b>One database</b>: {@code pg_dump --format=custom --compress=0}, file {@code NAME.pgdump}.
 *       The custom format restores selectively ({@code pg_restore -t}, {@code -n}, {@code --list}),
 *       in parallel from a file ({@code -j}), and converts to plain SQL ({@code pg_restore -f -}). Its
 *       default compression would make every dump a new byte stream for the repository's
 *       content-defined chunker, so compression is off: table data is stored as COPY text, with a
 *       small length prefix per row, and unchanged rows deduplicate like plain SQL does.</li>
 *   <li><b>All databases</b> (no database named): {@code all-databases.sql}, the same plain SQL script
 *       {@code pg_dumpall} writes ({@code pg_dumpall --globals-only}, then {@code pg_dump --create} per
 *       database, each consistent on its own), restorable with {@code psql -f all-databases.sql postgres}.
 *       Comment lines {@code -- cairn-dump TOKEN ...} (TOKEN random per dump, so table data cannot fake
 *       one) mark the globals, each database and the end, so a restore can tell a truncated script and
 *       handle each part on its own. A database dropped while the dump runs is skipped with a warning.</li>
 * </ul>
 * <h2>Roles and permissions ({@link RestoreOptions#roles()})</h2>
 * <ul>
 *   <li><b>One database, without roles</b> (the default): {@code pg_restore --no-owner --no-privileges}, so every
 *       restored object belongs to the restoring user and no GRANT or REVOKE runs: the restore works on a server
 *       that lacks the source's roles and never creates one.</li>
 *   <li><b>One database, with roles</b>: pg_dump's archive names roles (owners, grantees) but does not define
 *       them. Cairn first lists the roles it names (from {@code pg_restore --schema-only}, which reads only the
 *       archive's table of contents, at its start), creates those the target lacks as {@code NOLOGIN} roles
 *       without a password (reported as warnings: give them LOGIN or a password as needed), leaves existing roles
 *       exactly as they are, then restores with owners and grants. Creating roles needs CREATEROLE, and owners
 *       other than oneself need a superuser (or membership in each owner role).</li>
 *   <li><b>All databases, with roles</b>: the dump's globals ({@code pg_dumpall --globals-only}: roles with their
 *       attributes and passwords, memberships, tablespaces) are applied first, without the CREATE ROLE and
 *       ALTER ROLE ... WITH lines of roles that exist, so an existing role's password is never reset.</li>
 *   <li><b>All databases, without roles</b>: the globals are skipped and the databases' scripts keep their owners
 *       and grants; a restore whose backup has roles the target lacks is refused before anything is written.</li>
 *   <li>A plain SQL dump of one database (made outside Cairn) is applied as written either way.</li>
 * </ul>
 * Tools get host, port, user, database and TLS mode through {@code PG*} environment variables and the
 * password through a 0600 {@code PGPASSFILE}; nothing of the connection is on their command line.
 * Row counts in {@link #describe} are exact below one million estimated rows and estimates above.
 */
public final class PostgresAdapter implements DatabaseAdapter {
    static final String INSTALL = "apt-get install postgresql-client (pg_dump, pg_restore and psql of the server's"
            + " major version or newer)";
    private static final long EXACT_COUNT_LIMIT = 1_000_000;
    /** How long describe waits for a table's lock before it gives the table's estimated row count. */
    static final int COUNT_LOCK_WAIT_MS = 2000;
    private static final String MAGIC_PREFIX = "-- cairn-dump all-databases v1 ";
    private static final Pattern CREATE_ROLE = Pattern.compile("^CREATE ROLE (\"(?:[^\"]|\"\")+\"|[^\\s;]+);$");
    private static final Pattern ALTER_ROLE_WITH = Pattern.compile("^ALTER ROLE (\"(?:[^\"]|\"\")+\"|[^\\s;]+) WITH .*");
    /**
     * At most this much of a custom-format dump is read ahead (and held in memory) to list the roles it names;
     * pg_restore needs only the archive's table of contents, which comes first.
     */
    static final int ROLE_SCAN_LIMIT = 256 << 20;

    private final Toolbox toolbox;
    private final SecureRandom random = new SecureRandom();

    public PostgresAdapter(Toolbox toolbox) {
        this.toolbox = toolbox;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.POSTGRESQL;
    }

    // ---------------------------------------------------------------- connections

    Connection connect(ConnectionSpec spec, String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", spec.username() == null ? System.getProperty("user.name") : spec.username());
        if (!spec.password().isEmpty()) {
            p.setProperty("password", spec.password().reveal());
        }
        p.setProperty("sslmode", sslmode(spec.tls()));
        p.setProperty("connectTimeout", "10");
        p.setProperty("loginTimeout", "15");
        p.setProperty("ApplicationName", "cairn");
        String host = spec.host().contains(":") && !spec.host().startsWith("[") ? "[" + spec.host() + "]" : spec.host();
        String url = "jdbc:postgresql://" + host + ":" + spec.port() + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
        return DriverManager.getConnection(url, p);
    }

    private static String sslmode(TlsMode tls) {
        return switch (tls) {
            case DISABLE -> "disable";
            case PREFER -> "prefer";
            case REQUIRE -> "require";
            case VERIFY_FULL -> "verify-full";
        };
    }

    private static String maintenanceDb(ConnectionSpec spec) {
        return "postgres";
    }

    /** A tool run against {@code spec}, connected through PG* variables and a 0600 password file. */
    ToolCommand tool(String name, Path exe, List<String> args, ConnectionSpec spec, String database) throws DatabaseException {
        ToolCommand cmd = ToolCommand.of(name, exe, args)
                .withEnv("PGHOST", spec.host())
                .withEnv("PGPORT", Integer.toString(spec.port()))
                .withEnv("PGSSLMODE", sslmode(spec.tls()))
                .withEnv("PGCONNECT_TIMEOUT", "10")
                .withEnv("PGAPPNAME", "cairn");
        if (spec.username() != null) {
            cmd = cmd.withEnv("PGUSER", spec.username());
        }
        if (database != null) {
            cmd = cmd.withEnv("PGDATABASE", database);
        }
        if (!spec.password().isEmpty()) {
            String pw = spec.password().reveal().replace("\\", "\\\\").replace(":", "\\:");
            try {
                Path pgpass = SecretFile.create("cairn-pgpass-", "", "*:*:*:*:" + pw + "\n");
                cmd = cmd.withEnv("PGPASSFILE", pgpass.toString()).withTempFile(pgpass);
            } catch (IOException e) {
                throw new DatabaseException(CheckStatus.OTHER, "cannot write a temporary password file: " + e.getMessage(), e);
            }
        }
        return cmd;
    }

    // ---------------------------------------------------------------- test

    @Override
    public ConnectionCheck test(ConnectionSpec spec) {
        requireKind(spec);
        Path pgDump;
        try {
            pgDump = toolbox.require(INSTALL, "pg_dump");
            toolbox.require(INSTALL, "pg_restore");
            toolbox.require(INSTALL, "psql");
            if (spec.allDatabases()) {
                toolbox.require(INSTALL, "pg_dumpall");
            }
        } catch (DatabaseException e) {
            return ConnectionCheck.failed(e);
        }
        String db = spec.allDatabases() ? maintenanceDb(spec) : spec.database();
        String version;
        int serverMajor;
        try (Connection c = connect(spec, db)) {
            version = c.getMetaData().getDatabaseProductVersion();
            serverMajor = c.getMetaData().getDatabaseMajorVersion();
            if (spec.allDatabases()) {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select rolsuper from pg_roles where rolname = current_user")) {
                    if (rs.next() && !rs.getBoolean(1)) {
                        return ConnectionCheck.failed(CheckStatus.PERMISSION_DENIED, "dumping all databases of "
                                + spec.address() + " needs a superuser (roles and every database must be readable);"
                                + " log in as a superuser or name one database", version);
                    }
                }
            } else {
                List<String> unreadable = new ArrayList<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "select quote_ident(n.nspname) || '.' || quote_ident(c.relname) from pg_class c"
                                + " join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r','p','m','S')"
                                + " and n.nspname not in ('pg_catalog','information_schema') and n.nspname not like 'pg_toast%'"
                                + " and n.nspname not like 'pg_temp%' and not has_table_privilege(c.oid, 'SELECT')"
                                + " order by 1 limit 6")) {
                    while (rs.next()) {
                        unreadable.add(rs.getString(1));
                    }
                }
                if (!unreadable.isEmpty()) {
                    return ConnectionCheck.failed(CheckStatus.PERMISSION_DENIED, "user " + spec.username()
                            + " cannot read " + String.join(", ", unreadable.subList(0, Math.min(5, unreadable.size())))
                            + (unreadable.size() > 5 ? " and more" : "") + " in " + spec.database()
                            + ": grant SELECT on them (or connect as the owner)", version);
                }
            }
        } catch (SQLException e) {
            return ConnectionCheck.failed(PostgresErrors.fromJdbc(e, spec, "connect"));
        }
        int toolMajor = toolMajor(pgDump, spec);
        if (toolMajor > 0 && toolMajor < serverMajor) {
            return ConnectionCheck.failed(CheckStatus.VERSION_MISMATCH, "pg_dump " + toolMajor
                    + " cannot dump a PostgreSQL " + serverMajor + " server: apt-get install postgresql-client-"
                    + serverMajor, version);
        }
        return ConnectionCheck.ok("connected to PostgreSQL " + version + " at " + spec.target() + "; pg_dump "
                + (toolMajor > 0 ? toolMajor + " " : "") + "can dump it", version);
    }

    private int toolMajor(Path pgDump, ConnectionSpec spec) {
        try {
            String out = new ToolRunner(toolbox, SecretMasker.of(spec), PostgresErrors.classifier(spec))
                    .run(ToolCommand.of("pg_dump", pgDump, List.of("--version")), line -> { }).stdout();
            Matcher m = Pattern.compile("\\)\\s+(\\d+)").matcher(out);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (DatabaseException e) {
            return -1;
        }
    }

    private static void requireKind(ConnectionSpec spec) {
        if (spec.kind() != SourceKind.POSTGRESQL) {
            throw new IllegalArgumentException("not a PostgreSQL spec: " + spec.kind());
        }
    }

    // ---------------------------------------------------------------- describe

    @Override
    public DatabaseDescription describe(ConnectionSpec spec) throws DatabaseException {
        requireKind(spec);
        List<String> names;
        String version;
        try (Connection c = connect(spec, spec.allDatabases() ? maintenanceDb(spec) : spec.database())) {
            version = c.getMetaData().getDatabaseProductVersion();
            names = spec.allDatabases() ? listDatabases(c) : List.of(spec.database());
        } catch (SQLException e) {
            throw PostgresErrors.fromJdbc(e, spec, "describe");
        }
        List<DatabaseInfo> infos = new ArrayList<>();
        long total = 0;
        for (String name : names) {
            try (Connection c = connect(spec, name)) {
                DatabaseInfo info = describeDatabase(c, name);
                infos.add(info);
                total += info.sizeBytes();
            } catch (SQLException e) {
                if (spec.allDatabases() && "3D000".equals(e.getSQLState())) {
                    continue; // dropped since listed
                }
                throw PostgresErrors.fromJdbc(e, spec.withDatabase(name), "describe");
            }
        }
        return new DatabaseDescription(SourceKind.POSTGRESQL, version, total, infos);
    }

    /** Describes exactly {@code names} (restored databases), not the whole server. */
    private DatabaseDescription describeNames(ConnectionSpec server, List<String> names) throws DatabaseException {
        List<DatabaseInfo> infos = new ArrayList<>();
        String version = "";
        long total = 0;
        for (String n : names) {
            DatabaseDescription d = describe(server.withDatabase(n));
            version = d.serverVersion();
            infos.addAll(d.databases());
            total += d.sizeBytes();
        }
        return new DatabaseDescription(SourceKind.POSTGRESQL, version, total, infos);
    }

    static List<String> listDatabases(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select datname from pg_database where datallowconn and datname <> 'template0' order by datname")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static DatabaseInfo describeDatabase(Connection c, String name) throws SQLException {
        long size;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_database_size(current_database())")) {
            rs.next();
            size = rs.getLong(1);
        }
        List<ObjectInfo> objects = new ArrayList<>();
        List<String[]> rels = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select n.nspname, c.relname, c.relkind, c.reltuples::bigint,"
                        + " quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                        + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                        + " where c.relkind in ('r','p','v','m','f') and not c.relispartition"
                        + " and n.nspname not in ('pg_catalog','information_schema') and n.nspname not like 'pg_toast%'"
                        + " and n.nspname not like 'pg_temp%' order by 1, 2")) {
            while (rs.next()) {
                rels.add(new String[]{rs.getString(1) + "." + rs.getString(2), rs.getString(3),
                        Long.toString(rs.getLong(4)), rs.getString(5)});
            }
        }
        for (String[] r : rels) {
            if (r[1].equals("v")) {
                objects.add(new ObjectInfo(r[0], ObjectInfo.ObjectType.VIEW, -1));
                continue;
            }
            long estimate = Long.parseLong(r[2]);
            long count = estimate;
            if (estimate < EXACT_COUNT_LIMIT) {
                try (Statement st = c.createStatement()) {
                    // A table another session holds locked exclusively is counted by estimate instead of waiting.
                    st.execute("set lock_timeout = '" + COUNT_LOCK_WAIT_MS + "ms'");
                    try (ResultSet rs = st.executeQuery("select count(*) from " + r[3])) {
                        rs.next();
                        count = rs.getLong(1);
                    }
                } catch (SQLException e) {
                    if (!"55P03".equals(e.getSQLState())) {
                        throw e;
                    }
                    count = Math.max(-1, estimate);
                }
            }
            objects.add(new ObjectInfo(r[0], ObjectInfo.ObjectType.TABLE, count));
        }
        return new DatabaseInfo(name, size, objects);
    }

    // ---------------------------------------------------------------- dump

    @Override
    public Dump dump(ConnectionSpec spec, DumpOptions options) throws DatabaseException {
        requireKind(spec);
        SecretMasker masker = SecretMasker.of(spec);
        if (!spec.allDatabases()) {
            Path pgDump = toolbox.require(INSTALL, "pg_dump");
            ToolCommand cmd = tool("pg_dump", pgDump, List.of("--no-password", "--format=custom", "--compress=0"),
                    spec, spec.database());
            return new ProcessDump(spec.database() + ".pgdump", List.of(ProcessDump.step(new byte[0], cmd)).iterator(),
                    null, toolbox, masker, PostgresErrors.classifier(spec), options.toolOutput());
        }
        List<String> names;
        try (Connection c = connect(spec, maintenanceDb(spec))) {
            names = listDatabases(c);
        } catch (SQLException e) {
            throw PostgresErrors.fromJdbc(e, spec, "list the databases");
        }
        return dumpDatabases(spec, names, options);
    }

    /** The all-databases script for exactly {@code names} (with all globals). */
    Dump dumpDatabases(ConnectionSpec spec, List<String> names, DumpOptions options) throws DatabaseException {
        SecretMasker masker = SecretMasker.of(spec);
        Path pgDumpall = toolbox.require(INSTALL, "pg_dumpall");
        Path pgDump = toolbox.require(INSTALL, "pg_dump");
        byte[] tokenBytes = new byte[16];
        random.nextBytes(tokenBytes);
        String token = HexFormat.of().formatHex(tokenBytes);
        String marker = "-- cairn-dump " + token + " ";
        List<String> dumped = names.stream().filter(n -> n.chars().noneMatch(Character::isISOControl)).toList();
        StringBuilder header = new StringBuilder(MAGIC_PREFIX).append(token).append('\n')
                .append("-- PostgreSQL cluster dump by Cairn: roles and tablespaces, then each database.\n")
                .append("-- Restore with: psql -X -f all-databases.sql postgres (as a superuser), or cairn restore.\n");
        for (String n : dumped) {
            header.append(marker).append("contains ").append(quoteIdent(n)).append('\n');
        }
        header.append('\n').append(marker).append("globals\n");
        List<ProcessDump.Step> steps = new ArrayList<>();
        steps.add(ProcessDump.step(header.toString().getBytes(StandardCharsets.UTF_8),
                tool("pg_dumpall", pgDumpall, List.of("--no-password", "--globals-only"), spec, maintenanceDb(spec))));
        for (String n : dumped) {
            boolean builtin = n.equals("postgres") || n.equals("template1");
            String pre = "\n" + marker + "database " + quoteIdent(n) + "\n" + (builtin ? "\\connect " + quoteIdent(n) + "\n" : "");
            List<String> args = builtin ? List.of("--no-password", "--format=plain")
                    : List.of("--no-password", "--format=plain", "--create");
            steps.add(new LazyDatabaseStep(pre.getBytes(StandardCharsets.UTF_8), spec, n, pgDump, args));
        }
        List<String> skipped = names.stream().filter(n -> !dumped.contains(n)).toList();
        ProcessDump dump = new ProcessDump("all-databases.sql", steps.iterator(),
                ("\n" + marker + "end\n").getBytes(StandardCharsets.UTF_8), toolbox, masker,
                PostgresErrors.classifier(spec), options.toolOutput());
        if (!skipped.isEmpty()) {
            options.toolOutput().accept("skipped databases whose names hold control characters: " + skipped.size());
        }
        return dump;
    }

    /** One database of an all-databases dump; its password file is written only when it starts. */
    private final class LazyDatabaseStep implements ProcessDump.Step {
        private final byte[] preamble;
        private final ConnectionSpec spec;
        private final String database;
        private final Path pgDump;
        private final List<String> args;

        LazyDatabaseStep(byte[] preamble, ConnectionSpec spec, String database, Path pgDump, List<String> args) {
            this.preamble = preamble;
            this.spec = spec;
            this.database = database;
            this.pgDump = pgDump;
            this.args = args;
        }

        @Override
        public byte[] preamble() {
            return preamble;
        }

        @Override
        public ToolCommand command() throws DatabaseException {
            return tool("pg_dump", pgDump, args, spec, database);
        }

        @Override
        public String skipOnFailure(DumpFailedException failure, long bytesProduced) {
            if (bytesProduced > 0) {
                return null;
            }
            try (Connection c = connect(spec, maintenanceDb(spec));
                 PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return "database " + database + " was dropped while the dump ran; it is not in this dump";
                    }
                }
            } catch (SQLException e) {
                return null;
            }
            return null;
        }
    }

    static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String unquoteIdent(String s) {
        if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) {
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return s;
    }

    // ---------------------------------------------------------------- restore

    /**
     * pg_restore's selection for a table list: {@code --schema} once and {@code --table} per table. Names are
     * "schema.table" or "table" (schema public); all must be in one schema, since pg_restore combines the two
     * options as "these tables in these schemas".
     */
    static List<String> tableArguments(List<String> tables) throws DatabaseException {
        if (tables.isEmpty()) {
            return List.of();
        }
        String schema = null;
        List<String> args = new ArrayList<>();
        for (String t : tables) {
            int dot = t.indexOf('.');
            String s = dot < 0 ? "public" : t.substring(0, dot);
            String name = dot < 0 ? t : t.substring(dot + 1);
            if (s.isEmpty() || name.isEmpty()) {
                throw new DatabaseException(CheckStatus.OTHER, "\"" + t + "\" is not a table name (schema.table)");
            }
            if (schema != null && !schema.equals(s)) {
                throw new DatabaseException(CheckStatus.OTHER, "the tables to restore are in several schemas (" + schema
                        + ", " + s + "): restore the tables of one schema at a time");
            }
            schema = s;
            args.add("--table=" + name);
        }
        args.add(0, "--schema=" + schema);
        return args;
    }

    @Override
    public RestoreResult restore(ConnectionSpec target, InputStream dump, RestoreOptions options) throws DatabaseException {
        requireKind(target);
        BufferedInputStream in = new BufferedInputStream(dump, 1 << 16);
        byte[] head;
        try {
            in.mark(256);
            head = in.readNBytes(MAGIC_PREFIX.length() + 32);
            in.reset();
        } catch (IOException e) {
            throw new DatabaseException(CheckStatus.OTHER, "cannot read the dump: " + e.getMessage(), e);
        }
        String start = new String(head, StandardCharsets.ISO_8859_1);
        if (options.flushFirst()) {
            throw new DatabaseException(CheckStatus.OTHER, "emptying the target first is a Redis option; a PostgreSQL"
                    + " restore that may overwrite replaces the tables the backup holds");
        }
        if (!options.tables().isEmpty() && start.startsWith(MAGIC_PREFIX)) {
            throw new DatabaseException(CheckStatus.OTHER, "single tables restore from backups of one database;"
                    + " this backup holds every database of a server: restore it whole");
        }
        if (!options.tables().isEmpty() && !start.startsWith("PGDMP")) {
            throw new DatabaseException(CheckStatus.OTHER, "single tables restore from dumps in pg_dump's custom format"
                    + " (Cairn's own PostgreSQL backups, or pg_dump --format=custom); this backup is a plain SQL script:"
                    + " restore it whole into a new database and copy the table from there");
        }
        if (start.startsWith(MAGIC_PREFIX)) {
            return restoreAll(target, in, start.substring(MAGIC_PREFIX.length()).trim(), options);
        }
        if (target.allDatabases()) {
            throw new DatabaseException(CheckStatus.DATABASE_MISSING, "this dump holds one database: name the"
                    + " database to restore it into");
        }
        boolean custom = start.startsWith("PGDMP");
        List<String> warnings = new ArrayList<>();
        SecretMasker masker = SecretMasker.of(target);
        ToolRunner runner = new ToolRunner(toolbox, masker, PostgresErrors.classifier(target));
        List<String> missingRoles = custom && options.roles()
                ? missingRoles(target, rolesNamed(in, tableArguments(options.tables()), runner), warnings) : List.of();
        prepareTarget(target, options, warnings);
        ToolRunner.Output out;
        if (custom) {
            List<String> args = new ArrayList<>(List.of("--no-password", "--exit-on-error", "--single-transaction",
                    "--dbname=" + target.database()));
            if (options.overwrite()) {
                args.addAll(List.of("--clean", "--if-exists"));
            }
            if (options.roles()) {
                createRoles(target, missingRoles, warnings);
            } else {
                args.addAll(List.of("--no-owner", "--no-privileges"));
            }
            args.addAll(tableArguments(options.tables()));
            out = runner.run(tool("pg_restore", toolbox.require(INSTALL, "pg_restore"), args, target, target.database()),
                    in, options.toolOutput(), false);
        } else {
            // query results (a plain dump's SELECT set_config(...) and setval(...)) go nowhere: they are not diagnostics
            out = runner.run(tool("psql", toolbox.require(INSTALL, "psql"), List.of("-X", "-q", "--output=/dev/null",
                            "--no-password", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"), target,
                            target.database()),
                    in, options.toolOutput(), false);
        }
        DatabaseDescription restored = describe(target);
        List<String> missing = new ArrayList<>();
        for (String t : options.tables()) {
            String qualified = t.indexOf('.') < 0 ? "public." + t : t;
            if (restored.databases().stream().noneMatch(db -> db.object(qualified).isPresent())) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            throw new DatabaseException(CheckStatus.OTHER, "the backup has no table " + String.join(", ", missing)
                    + ": check the names (they are listed on the backup's page); the other tables were restored");
        }
        return new RestoreResult(target.target(), out.bytesFed(), restored, warnings);
    }

    private void prepareTarget(ConnectionSpec target, RestoreOptions options, List<String> warnings) throws DatabaseException {
        boolean exists;
        try (Connection c = connect(target, maintenanceDb(target));
             PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            ps.setString(1, target.database());
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
            if (!exists) {
                if (!options.createDatabase()) {
                    throw new DatabaseException(CheckStatus.DATABASE_MISSING, "database " + target.database()
                            + " does not exist on " + target.address() + ": create it, or restore with the option to create it");
                }
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + quoteIdent(target.database()));
                }
                warnings.add("created database " + target.database());
                return;
            }
        } catch (SQLException e) {
            throw PostgresErrors.fromJdbc(e, target, "prepare the restore");
        }
        try (Connection c = connect(target, target.database()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                     + " where c.relkind in ('r','p','v','m','S','f') and n.nspname not in ('pg_catalog','information_schema')"
                     + " and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'")) {
            rs.next();
            long objects = rs.getLong(1);
            if (objects > 0 && !options.overwrite()) {
                throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, "database " + target.database() + " on "
                        + target.address() + " already holds " + objects + " tables, views or sequences: restore into an"
                        + " empty or new database, or choose to overwrite (objects in the dump are replaced)");
            }
        } catch (SQLException e) {
            throw PostgresErrors.fromJdbc(e, target, "inspect the restore target");
        }
    }

    /** Restores an all-databases script: globals leniently (existing roles kept), each database strictly. */
    private RestoreResult restoreAll(ConnectionSpec target, InputStream in, String token, RestoreOptions options)
            throws DatabaseException {
        if (!target.allDatabases()) {
            throw new DatabaseException(CheckStatus.OTHER, "this dump holds all databases of a server: restore it"
                    + " into a server (name no database)");
        }
        if (!token.matches("[0-9a-f]{32}")) {
            throw new DatabaseException(CheckStatus.OTHER, "the dump's header is damaged: it is not a Cairn all-databases dump");
        }
        SecretMasker masker = SecretMasker.of(target);
        ToolRunner runner = new ToolRunner(toolbox, masker, PostgresErrors.classifier(target));
        Path psql = toolbox.require(INSTALL, "psql");
        List<String> warnings = new ArrayList<>();
        MarkerSplitter parts = new MarkerSplitter(in, "-- cairn-dump " + token + " ");
        DatabaseDescription description;
        try {
            List<String> contained = new ArrayList<>();
            String m;
            while ((m = parts.nextMarker()) != null && m.startsWith("contains ")) {
                contained.add(unquoteIdent(m.substring("contains ".length())));
            }
            Set<String> existing;
            try (Connection c = connect(target, maintenanceDb(target))) {
                existing = new HashSet<>(listDatabases(c));
                Set<String> existingRoles = new HashSet<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select rolname from pg_roles")) {
                    while (rs.next()) {
                        existingRoles.add(rs.getString(1));
                    }
                }
                List<String> clash = contained.stream()
                        .filter(n -> existing.contains(n) && !n.equals("postgres") && !n.equals("template1")).toList();
                if (!clash.isEmpty() && !options.overwrite()) {
                    throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, "databases " + String.join(", ", clash)
                            + " already exist on " + target.address() + ": drop them, or choose to overwrite"
                            + " (they are dropped and restored from the dump)");
                }
                if (!"globals".equals(m)) {
                    throw new DatabaseException(CheckStatus.OTHER, "the dump is damaged: no globals section");
                }
                String globals = new String(parts.part().readAllBytes(), StandardCharsets.UTF_8);
                if (options.roles()) {
                    String filtered = filterGlobals(globals, existingRoles, warnings);
                    runner.run(tool("psql", psql, List.of("-X", "-q", "--output=/dev/null", "--no-password", "-f", "-"), target,
                                    maintenanceDb(target)), new ByteArrayInputStream(filtered.getBytes(StandardCharsets.UTF_8)),
                            line -> {
                                warnings.add("globals: " + line);
                                options.toolOutput().accept(line);
                            }, false);
                } else {
                    List<String> lacking = rolesCreatedBy(globals).stream().filter(r -> !existingRoles.contains(r))
                            .sorted().toList();
                    if (!lacking.isEmpty()) {
                        throw new DatabaseException(CheckStatus.OTHER, "the backup's databases keep their owners and"
                                + " grants, and it has roles " + target.address() + " lacks ("
                                + String.join(", ", lacking.subList(0, Math.min(10, lacking.size())))
                                + (lacking.size() > 10 ? ", and " + (lacking.size() - 10) + " more" : "")
                                + "): restore with roles and permissions (missing roles are created from the backup,"
                                + " existing ones are left as they are), or create those roles first; nothing was restored");
                    }
                    warnings.add("roles and permissions were not restored from the backup: its roles were skipped"
                            + " (every one of them already exists on the target)");
                }
                boolean ended = false;
                List<String> restoredDbs = new ArrayList<>();
                while ((m = parts.nextMarker()) != null) {
                    if (m.equals("end")) {
                        ended = true;
                        break;
                    }
                    if (!m.startsWith("database ")) {
                        throw new DatabaseException(CheckStatus.OTHER, "the dump is damaged: unexpected section " + m);
                    }
                    String db = unquoteIdent(m.substring("database ".length()));
                    if (existing.contains(db) && !db.equals("postgres") && !db.equals("template1")) {
                        try (Statement st = c.createStatement()) {
                            st.execute("DROP DATABASE " + quoteIdent(db) + " WITH (FORCE)");
                        }
                        warnings.add("dropped database " + db + " to restore it from the dump");
                    }
                    runner.run(tool("psql", psql, List.of("-X", "-q", "--output=/dev/null", "--no-password", "-v",
                                    "ON_ERROR_STOP=1", "-f", "-"),
                            target, maintenanceDb(target)), parts.part(), options.toolOutput(), false);
                    restoredDbs.add(db);
                }
                if (!ended) {
                    throw new DatabaseException(CheckStatus.OTHER, "the dump ends early (no end marker after "
                            + parts.bytesRead() + " bytes): it is truncated, and the databases restored from it may be incomplete");
                }
                description = describeNames(target, restoredDbs);
            }
        } catch (SQLException e) {
            throw PostgresErrors.fromJdbc(e, target, "restore");
        } catch (DatabaseException e) {
            throw e;
        } catch (IOException e) {
            throw new DatabaseException(CheckStatus.OTHER, "reading the dump failed: " + masker.mask(e.getMessage()), e);
        }
        return new RestoreResult(target.target(), parts.bytesRead(), description, warnings);
    }

    /** The roles a globals script creates (its CREATE ROLE lines). */
    static List<String> rolesCreatedBy(String globals) {
        List<String> roles = new ArrayList<>();
        for (String line : globals.split("\n")) {
            Matcher create = CREATE_ROLE.matcher(line);
            if (create.matches()) {
                roles.add(unquoteIdent(create.group(1)));
            }
        }
        return roles;
    }

    /**
     * The roles a custom-format dump (selected with {@code selection}) names, read from the schema-only script
     * pg_restore writes from the archive's table of contents. Reads ahead at most {@link #ROLE_SCAN_LIMIT} bytes and
     * resets {@code in} to where it was.
     */
    private Set<String> rolesNamed(BufferedInputStream in, List<String> selection, ToolRunner runner)
            throws DatabaseException {
        Path script;
        try {
            script = SecretFile.create("cairn-roles-", ".sql", "");
        } catch (IOException e) {
            throw new DatabaseException(CheckStatus.OTHER, "cannot write a temporary file: " + e.getMessage(), e);
        }
        try {
            List<String> args = new ArrayList<>(List.of("--schema-only", "--file=" + script));
            args.addAll(selection);
            in.mark(ROLE_SCAN_LIMIT + 1);
            long[] read = new long[1];
            InputStream ahead = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (read[0] >= ROLE_SCAN_LIMIT) {
                        return -1;
                    }
                    int n = in.read(b, off, (int) Math.min(len, ROLE_SCAN_LIMIT - read[0]));
                    if (n > 0) {
                        read[0] += n;
                    }
                    return n;
                }
            };
            try {
                runner.run(ToolCommand.of("pg_restore", toolbox.require(INSTALL, "pg_restore"), args), ahead,
                        line -> { }, true);
            } catch (DatabaseException e) {
                if (read[0] >= ROLE_SCAN_LIMIT) {
                    throw new DatabaseException(CheckStatus.OTHER, "the backup's list of objects is too large to look"
                            + " for the roles it names first (over " + (ROLE_SCAN_LIMIT >> 20) + " MiB): restore without"
                            + " roles and permissions, or create its roles first and restore with them", e);
                }
                throw new DatabaseException(e.status(), "cannot list the roles the backup names: " + e.getMessage(), e);
            }
            in.reset();
            in.mark(0); // drops the mark at the next refill, so the restore does not keep what it read buffered
            try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
                return rolesNamedIn(r);
            }
        } catch (DatabaseException e) {
            throw e;
        } catch (IOException e) {
            throw new DatabaseException(CheckStatus.OTHER, "reading the dump to list its roles failed: "
                    + e.getMessage(), e);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(script);
            } catch (IOException ignored) {
                // deleted on exit
            }
        }
    }

    private static final Pattern ENTRY_HEADER = Pattern.compile("^-- Name: .*; Type: ([A-Z ]+); Schema: .*; Owner: (.*)$");

    /**
     * The roles a pg_dump script names: the owner of every entry (its "-- Name: ...; Owner: X" header), the roles of
     * its ACL and DEFAULT ACL entries (GRANT ... TO, REVOKE ... FROM, FOR ROLE, SET SESSION AUTHORIZATION) and of its
     * policies (TO). PUBLIC is not a role. A line of a function body that imitates such a header can add a name;
     * the worst that does is create a role without login or rights.
     */
    static Set<String> rolesNamedIn(java.io.BufferedReader script) throws IOException {
        Set<String> roles = new java.util.TreeSet<>();
        String type = "";
        String line;
        while ((line = script.readLine()) != null) {
            Matcher header = ENTRY_HEADER.matcher(line);
            if (header.matches()) {
                type = header.group(1);
                String owner = header.group(2);
                if (!owner.isEmpty() && !owner.equals("-")) {
                    roles.add(owner);
                }
                continue;
            }
            if (line.startsWith("--") || line.isEmpty()) {
                continue;
            }
            switch (type) {
                case "ACL", "DEFAULT ACL" -> roles.addAll(rolesAfter(line, Set.of("TO", "FROM", "AUTHORIZATION", "ROLE", "BY")));
                case "POLICY" -> roles.addAll(rolesAfter(line, Set.of("TO")));
                default -> { }
            }
        }
        return roles;
    }

    /** The role names that follow the keywords {@code after} in one SQL statement (lists separated by commas). */
    static List<String> rolesAfter(String sql, Set<String> after) {
        List<String[]> tokens = new ArrayList<>(); // {text, "q" when a quoted identifier, "w" word, "p" other}
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                StringBuilder name = new StringBuilder();
                i++;
                while (i < sql.length()) {
                    if (sql.charAt(i) == '"') {
                        if (i + 1 < sql.length() && sql.charAt(i + 1) == '"') {
                            name.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    name.append(sql.charAt(i++));
                }
                tokens.add(new String[]{name.toString(), "q"});
            } else if (c == '\'') {
                i++;
                while (i < sql.length()) {
                    if (sql.charAt(i) == '\'') {
                        if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    i++;
                }
                tokens.add(new String[]{"", "p"});
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int from = i;
                while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new String[]{sql.substring(from, i), "w"});
            } else {
                tokens.add(new String[]{String.valueOf(c), "p"});
                i++;
            }
        }
        List<String> roles = new ArrayList<>();
        for (int t = 0; t < tokens.size(); t++) {
            String[] tok = tokens.get(t);
            if (!tok[1].equals("w")) {
                continue;
            }
            String word = tok[0].toUpperCase(java.util.Locale.ROOT);
            if (!after.contains(word)) {
                continue;
            }
            String previous = t > 0 && tokens.get(t - 1)[1].equals("w") ? tokens.get(t - 1)[0].toUpperCase(java.util.Locale.ROOT) : "";
            if (word.equals("ROLE") && !previous.equals("FOR") || word.equals("BY") && !previous.equals("GRANTED")) {
                continue;
            }
            int k = t + 1;
            while (k < tokens.size() && !tokens.get(k)[1].equals("p")) {
                String[] name = tokens.get(k);
                if (name[1].equals("q") || !name[0].equalsIgnoreCase("PUBLIC") && !name[0].equalsIgnoreCase("GROUP")) {
                    roles.add(name[0]);
                }
                if (k + 1 < tokens.size() && tokens.get(k + 1)[0].equals(",") && tokens.get(k + 1)[1].equals("p")) {
                    k += 2;
                } else {
                    break;
                }
            }
        }
        return roles;
    }

    /**
     * The roles of {@code named} that the target lacks. Refuses, before anything is written, when there are some and
     * the restoring user may not create roles. Roles that exist are counted in {@code warnings}; they are never touched.
     */
    private List<String> missingRoles(ConnectionSpec target, Set<String> named, List<String> warnings)
            throws DatabaseException {
        if (named.isEmpty()) {
            return List.of();
        }
        try (Connection c = connect(target, maintenanceDb(target))) {
            Set<String> existing = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("select rolname from pg_roles where rolname = any(?)")) {
                ps.setArray(1, c.createArrayOf("text", named.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        existing.add(rs.getString(1));
                    }
                }
            }
            List<String> missing = named.stream().filter(r -> !existing.contains(r)).toList();
            if (!existing.isEmpty()) {
                warnings.add(existing.size() + " of the roles the backup names already existed and were left as they"
                        + " are (attributes and passwords unchanged)");
            }
            if (!missing.isEmpty()) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "select rolsuper or rolcreaterole from pg_roles where rolname = current_user")) {
                    if (rs.next() && !rs.getBoolean(1)) {
                        throw new DatabaseException(CheckStatus.PERMISSION_DENIED, "the backup names roles "
                                + target.address() + " lacks (" + String.join(", ", missing.subList(0, Math.min(10,
                                missing.size()))) + (missing.size() > 10 ? ", ..." : "") + ") and user "
                                + target.username() + " may not create roles: restore without roles and permissions"
                                + " (the objects then belong to " + target.username() + "), create those roles first,"
                                + " or restore as a superuser; nothing was restored");
                    }
                }
            }
            return missing;
        } catch (SQLException e) {
            throw PostgresErrors.fromJdbc(e, target, "look up the roles the backup names");
        }
    }

    /** Creates {@code roles} without login or password, and says so in {@code warnings}. */
    private void createRoles(ConnectionSpec target, List<String> roles, List<String> warnings) throws DatabaseException {
        if (roles.isEmpty()) {
            return;
        }
        List<String> created = new ArrayList<>();
        try (Connection c = connect(target, maintenanceDb(target))) {
            for (String role : roles) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE ROLE " + quoteIdent(role) + " NOLOGIN");
                    created.add(role);
                } catch (SQLException e) {
                    if (!"42710".equals(e.getSQLState())) {
                        throw e;
                    }
                    // created meanwhile by someone else: it exists, and is left as it is
                }
            }
        } catch (SQLException e) {
            throw PostgresErrors.fromJdbc(e, target, "create the roles the backup names"
                    + (created.isEmpty() ? "" : " (created so far: " + String.join(", ", created) + ")"));
        }
        if (!created.isEmpty()) {
            warnings.add("created roles " + String.join(", ", created) + " without login or password: a backup of"
                    + " one database names its roles but does not hold their definitions; give them LOGIN, a password"
                    + " or memberships as needed");
        }
    }

    /** Drops CREATE ROLE / ALTER ROLE ... WITH for roles that exist, so a restore never resets their passwords. */
    static String filterGlobals(String globals, Set<String> existingRoles, List<String> warnings) {
        StringBuilder out = new StringBuilder();
        int kept = 0;
        for (String line : globals.split("\n", -1)) {
            Matcher create = CREATE_ROLE.matcher(line);
            Matcher alter = ALTER_ROLE_WITH.matcher(line);
            if (create.matches() && existingRoles.contains(unquoteIdent(create.group(1)))) {
                kept++;
                continue;
            }
            if (alter.matches() && existingRoles.contains(unquoteIdent(alter.group(1)))) {
                continue;
            }
            out.append(line).append('\n');
        }
        if (kept > 0) {
            warnings.add(kept + " roles already existed and were left as they are (attributes and passwords unchanged)");
        }
        return out.toString();
    }
}
