package io.cairn.dumps.mysql;

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
import io.cairn.dumps.tool.SecretFile;
import io.cairn.dumps.tool.ToolCommand;
import io.cairn.dumps.tool.ToolRunner;
import io.cairn.dumps.tool.Toolbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * MySQL and MariaDB through {@code mariadb-dump} (or {@code mysqldump}) and the {@code mariadb} (or
 * {@code mysql}) client, with JDBC for tests and descriptions.
 *
 * <p>Format: plain SQL, {@code NAME.sql} for one database (no {@code CREATE DATABASE}/{@code USE}, so
 * it restores into a database of any name) or {@code all-databases.sql} ({@code --all-databases}).
 * Options: {@code --single-transaction} (one consistent InnoDB snapshot without locking writers;
 * MyISAM tables are not consistent), {@code --routines --triggers --events}, {@code --hex-blob} (binary
 * columns as hex literals, safe in any client character set), {@code --skip-dump-date} (identical data
 * gives identical bytes). The password travels in a 0600 {@code --defaults-extra-file}.
 *
 * <p>Accounts: a dump of one database starts with an accounts block ({@link MysqlAccounts}: comment lines with
 * the CREATE USER statements of the accounts that hold privileges on it or define its objects, and their grants on
 * it), since mariadb-dump writes none for one database. A restore without roles and permissions (the default)
 * ignores the block and turns every {@code DEFINER} into the restoring user ({@link AccountFilter}), so it works on
 * a server without the source's accounts and changes none; with them, missing accounts are created as the backup
 * defines them (passwords included) before the tables are loaded, existing accounts are left as they are (never
 * altered), definers are kept, and the grants are applied to the restored database under its new name. A dump of
 * all databases carries the {@code mysql} system database instead: with roles it is restored as it is, which
 * replaces the target's accounts and so needs {@link io.cairn.dumps.RestoreOptions#overwrite()}; without them it
 * is skipped.
 *
 * <p>TLS: the 10.x command-line clients cannot insist on TLS without also verifying the certificate,
 * so for {@link TlsMode#REQUIRE} the adapter first checks over JDBC that the server speaks TLS and
 * then runs the tool with {@code --ssl}; {@link TlsMode#VERIFY_FULL} adds
 * {@code --ssl-verify-server-cert}. Row counts in {@link #describe} are exact below one million
 * estimated rows (InnoDB's statistics) and estimates above.
 */
public final class MysqlAdapter implements DatabaseAdapter {
    static final String INSTALL = "apt-get install mariadb-client (works for MySQL servers too)";
    private static final List<String> SYSTEM_SCHEMAS = List.of("information_schema", "performance_schema", "sys", "mysql");
    private static final long EXACT_COUNT_LIMIT = 1_000_000;

    private final Toolbox toolbox;

    public MysqlAdapter(Toolbox toolbox) {
        this.toolbox = toolbox;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.MYSQL;
    }

    private static void requireKind(ConnectionSpec spec) {
        if (spec.kind() != SourceKind.MYSQL) {
            throw new IllegalArgumentException("not a MySQL/MariaDB spec: " + spec.kind());
        }
    }

    Connection connect(ConnectionSpec spec, String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", spec.username() == null ? "root" : spec.username());
        if (!spec.password().isEmpty()) {
            p.setProperty("password", spec.password().reveal());
        }
        p.setProperty("sslMode", switch (spec.tls()) {
            case DISABLE, PREFER -> "disable";
            case REQUIRE -> "trust";
            case VERIFY_FULL -> "verify-full";
        });
        p.setProperty("connectTimeout", "10000");
        p.setProperty("allowPublicKeyRetrieval", "false");
        String host = spec.host().contains(":") && !spec.host().startsWith("[") ? "[" + spec.host() + "]" : spec.host();
        return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + spec.port() + "/"
                + (database == null ? "" : database), p);
    }

    /** Arguments every tool run starts with: the option file first, then host, port, user and TLS. */
    private ToolCommand tool(String name, Path exe, ConnectionSpec spec, List<String> more) throws DatabaseException {
        List<String> args = new ArrayList<>();
        Path optionFile;
        StringBuilder cnf = new StringBuilder("[client]\n");
        if (!spec.password().isEmpty()) {
            String pw = spec.password().reveal();
            if (pw.contains("\n") || pw.contains("\r")) {
                throw new DatabaseException(CheckStatus.OTHER, "passwords with line breaks cannot be passed to "
                        + name + "; change the password");
            }
            cnf.append("password=").append(quoteOption(pw)).append('\n');
        }
        try {
            optionFile = SecretFile.create("cairn-my-", ".cnf", cnf.toString());
        } catch (IOException e) {
            throw new DatabaseException(CheckStatus.OTHER, "cannot write a temporary option file: " + e.getMessage(), e);
        }
        args.add("--defaults-extra-file=" + optionFile);
        args.add("--host=" + spec.host());
        args.add("--port=" + spec.port());
        args.add("--protocol=TCP");
        if (spec.username() != null) {
            args.add("--user=" + spec.username());
        }
        switch (spec.tls()) {
            case DISABLE -> args.add("--skip-ssl");
            case PREFER -> { }
            case REQUIRE -> args.add("--ssl");
            case VERIFY_FULL -> {
                args.add("--ssl");
                args.add("--ssl-verify-server-cert");
            }
        }
        args.addAll(more);
        return new ToolCommand(name, exe, args, java.util.Map.of(), List.of(optionFile));
    }

    private static String quoteOption(String value) {
        if (value.contains("\"") && !value.contains("'")) {
            return "'" + value + "'";
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---------------------------------------------------------------- errors

    ErrorClassifier classifier(ConnectionSpec spec) {
        return stderr -> {
            String s = stderr.toLowerCase(Locale.ROOT);
            if (s.contains("access denied for user") && !s.contains("to database")) {
                return new ErrorClassifier.Classification(CheckStatus.WRONG_PASSWORD, wrongPassword(spec));
            }
            if (s.contains("unknown database")) {
                return new ErrorClassifier.Classification(CheckStatus.DATABASE_MISSING,
                        "check the database name (SHOW DATABASES lists them)");
            }
            if (s.contains("can't connect") || s.contains("unknown server host") || s.contains("lost connection")) {
                return new ErrorClassifier.Classification(CheckStatus.HOST_UNREACHABLE, unreachable(spec));
            }
            if (s.contains("ssl") || s.contains("tls")) {
                return new ErrorClassifier.Classification(CheckStatus.TLS_FAILED, tlsHint(spec));
            }
            if (s.contains("access denied") || s.contains("command denied") || s.contains("privilege")) {
                return new ErrorClassifier.Classification(CheckStatus.PERMISSION_DENIED,
                        "grant the user SELECT, SHOW VIEW, TRIGGER, EVENT and LOCK TABLES on the database");
            }
            return new ErrorClassifier.Classification(CheckStatus.OTHER, "");
        };
    }

    private static String wrongPassword(ConnectionSpec spec) {
        return "wrong password for user " + (spec.username() == null ? "root" : spec.username()) + " on "
                + spec.address() + " (or that user may not log in from this host): check the password saved with this source";
    }

    private static String unreachable(ConnectionSpec spec) {
        return "nothing answers at " + spec.address() + ": check the host and port, that the server is running,"
                + " its bind-address, and any firewall";
    }

    private static String tlsHint(ConnectionSpec spec) {
        return "TLS mode " + spec.tls() + " failed: enable TLS on the server (ssl_cert, ssl_key), trust its CA,"
                + " or choose a weaker TLS mode";
    }

    DatabaseException fromJdbc(SQLException e, ConnectionSpec spec, String action) {
        SecretMasker masker = SecretMasker.of(spec);
        String detail = masker.mask(String.valueOf(e.getMessage()));
        String lower = detail.toLowerCase(Locale.ROOT);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        int code = e.getErrorCode();
        CheckStatus status;
        String msg;
        if (code == 1045) {
            status = CheckStatus.WRONG_PASSWORD;
            msg = wrongPassword(spec);
        } else if (code == 1049) {
            status = CheckStatus.DATABASE_MISSING;
            msg = "database " + spec.database() + " does not exist on " + spec.address() + ": check the name, or create it";
        } else if (code == 1044 || code == 1142 || code == 1227) {
            status = CheckStatus.PERMISSION_DENIED;
            msg = "user " + spec.username() + " may not " + action + " on " + spec.target() + ": " + detail;
        } else if (lower.contains("ssl") || lower.contains("tls") || root instanceof javax.net.ssl.SSLException) {
            status = CheckStatus.TLS_FAILED;
            msg = tlsHint(spec) + " (" + detail + ")";
        } else if (root instanceof ConnectException || root instanceof UnknownHostException
                || root instanceof NoRouteToHostException || root instanceof SocketTimeoutException
                || lower.contains("socket fail to connect") || lower.contains("connection refused")) {
            status = CheckStatus.HOST_UNREACHABLE;
            msg = unreachable(spec) + " (" + detail + ")";
        } else {
            status = CheckStatus.OTHER;
            msg = "cannot " + action + " on " + spec.target() + ": " + detail;
        }
        return new DatabaseException(status, masker.mask(msg), null);
    }

    // ---------------------------------------------------------------- test

    @Override
    public ConnectionCheck test(ConnectionSpec spec) {
        requireKind(spec);
        try {
            toolbox.require(INSTALL, "mariadb-dump", "mysqldump");
            toolbox.require(INSTALL, "mariadb", "mysql");
        } catch (DatabaseException e) {
            return ConnectionCheck.failed(e);
        }
        String version;
        try (Connection c = connect(spec, spec.database())) {
            version = c.getMetaData().getDatabaseProductVersion();
            if (!spec.allDatabases()) {
                try (PreparedStatement ps = c.prepareStatement("select count(*) from information_schema.tables"
                        + " where table_schema = ?")) {
                    ps.setString(1, spec.database());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                    }
                }
            }
        } catch (SQLException e) {
            return ConnectionCheck.failed(fromJdbc(e, spec, "connect"));
        }
        return ConnectionCheck.ok("connected to " + (version.toLowerCase(Locale.ROOT).contains("mariadb") ? "MariaDB " : "MySQL ")
                + version + " at " + spec.target(), version);
    }

    // ---------------------------------------------------------------- describe

    @Override
    public DatabaseDescription describe(ConnectionSpec spec) throws DatabaseException {
        requireKind(spec);
        try (Connection c = connect(spec, spec.database())) {
            String version = c.getMetaData().getDatabaseProductVersion();
            List<String> names = new ArrayList<>();
            if (spec.allDatabases()) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "select schema_name from information_schema.schemata order by schema_name")) {
                    while (rs.next()) {
                        if (!List.of("information_schema", "performance_schema", "sys").contains(rs.getString(1))) {
                            names.add(rs.getString(1));
                        }
                    }
                }
            } else {
                names.add(spec.database());
            }
            List<DatabaseInfo> infos = new ArrayList<>();
            long total = 0;
            for (String db : names) {
                DatabaseInfo info = describeDatabase(c, db);
                infos.add(info);
                total += info.sizeBytes();
            }
            return new DatabaseDescription(SourceKind.MYSQL, version, total, infos);
        } catch (SQLException e) {
            throw fromJdbc(e, spec, "describe");
        }
    }

    private static DatabaseInfo describeDatabase(Connection c, String db) throws SQLException {
        List<ObjectInfo> objects = new ArrayList<>();
        long size = 0;
        List<Object[]> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select table_name, table_type, coalesce(table_rows, 0),"
                + " coalesce(data_length, 0) + coalesce(index_length, 0) from information_schema.tables"
                + " where table_schema = ? order by table_name")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(new Object[]{rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        for (Object[] t : tables) {
            String name = (String) t[0];
            size += (Long) t[3];
            if (((String) t[1]).contains("VIEW")) {
                objects.add(new ObjectInfo(name, ObjectInfo.ObjectType.VIEW, -1));
                continue;
            }
            long count = (Long) t[2];
            if (count < EXACT_COUNT_LIMIT) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "select count(*) from " + quoteIdent(db) + "." + quoteIdent(name))) {
                    rs.next();
                    count = rs.getLong(1);
                }
            }
            objects.add(new ObjectInfo(name, ObjectInfo.ObjectType.TABLE, count));
        }
        return new DatabaseInfo(db, size, objects);
    }

    static String quoteIdent(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    // ---------------------------------------------------------------- dump

    @Override
    public Dump dump(ConnectionSpec spec, DumpOptions options) throws DatabaseException {
        requireKind(spec);
        Path exe = toolbox.require(INSTALL, "mariadb-dump", "mysqldump");
        if (spec.tls() == TlsMode.REQUIRE) {
            try (Connection c = connect(spec, spec.database())) {
                c.isValid(5);
            } catch (SQLException e) {
                throw fromJdbc(e, spec, "connect");
            }
        }
        List<String> args = new ArrayList<>(List.of("--single-transaction", "--routines", "--triggers", "--events",
                "--hex-blob", "--skip-dump-date", "--default-character-set=utf8mb4"));
        if (spec.allDatabases()) {
            args.add("--all-databases");
        } else {
            args.add("--");
            args.add(spec.database());
        }
        String tool = exe.getFileName().toString();
        byte[] accounts = spec.allDatabases() ? new byte[0] : accountsBlock(spec, options);
        ToolCommand cmd = tool(tool, exe, spec, args);
        return new ProcessDump(spec.allDatabases() ? "all-databases.sql" : spec.database() + ".sql",
                List.of(ProcessDump.step(accounts, cmd)).iterator(), null, toolbox, SecretMasker.of(spec),
                classifier(spec), options.toolOutput());
    }

    /** The accounts block a one-database dump starts with ({@link MysqlAccounts}); never fails the dump. */
    private byte[] accountsBlock(ConnectionSpec spec, DumpOptions options) {
        SecretMasker masker = SecretMasker.of(spec);
        try (Connection c = connect(spec, spec.database())) {
            return MysqlAccounts.block(c, spec.database(), masker, options.toolOutput());
        } catch (SQLException e) {
            return MysqlAccounts.unavailable(spec.database(), masker.mask(String.valueOf(e.getMessage())));
        }
    }

    // ---------------------------------------------------------------- restore

    @Override
    public RestoreResult restore(ConnectionSpec target, InputStream dump, RestoreOptions options) throws DatabaseException {
        requireKind(target);
        if (options.flushFirst()) {
            throw new DatabaseException(CheckStatus.OTHER, "emptying the target first is a Redis option; a MySQL"
                    + " restore that may overwrite replaces the tables the backup holds");
        }
        if (!options.tables().isEmpty() && target.allDatabases()) {
            throw new DatabaseException(CheckStatus.OTHER, "single tables restore into one database: name the"
                    + " database to restore them into");
        }
        long[] consumed = {0};
        java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(new java.io.FilterInputStream(dump) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                consumed[0] += b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                consumed[0] += Math.max(0, n);
                return n;
            }
        }, 1 << 16);
        long[] accountBytes = {0};
        MysqlAccounts.Block accounts = null;
        try {
            buffered.mark(MysqlAccounts.MAGIC.length());
            byte[] head = buffered.readNBytes(MysqlAccounts.MAGIC.length());
            buffered.reset();
            if (MysqlAccounts.startsWithBlock(head)) {
                accounts = MysqlAccounts.read(buffered, accountBytes);
            }
        } catch (IOException e) {
            throw new DatabaseException(CheckStatus.OTHER, "reading the dump failed: " + e.getMessage(), e);
        }
        if (accounts != null && target.allDatabases()) {
            throw new DatabaseException(CheckStatus.DATABASE_MISSING, "this dump holds one database: name the"
                    + " database to restore it into");
        }
        dump = buffered;
        if (!options.tables().isEmpty()) {
            dump = new TableFilter(dump, options.tables());
        }
        if (!options.roles()) {
            dump = new AccountFilter(dump, target.allDatabases() ? AccountFilter.Mode.SYSTEM_DATABASE
                    : AccountFilter.Mode.DEFINERS);
        }
        Path client = toolbox.require(INSTALL, "mariadb", "mysql");
        List<String> warnings = new ArrayList<>();
        try (Connection c = connect(target, null)) {
            if (target.allDatabases()) {
                List<String> userDbs = new ArrayList<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "select schema_name from information_schema.schemata order by schema_name")) {
                    while (rs.next()) {
                        if (!SYSTEM_SCHEMAS.contains(rs.getString(1))) {
                            userDbs.add(rs.getString(1));
                        }
                    }
                }
                if (!options.overwrite() && (!userDbs.isEmpty() || options.roles())) {
                    String why = userDbs.isEmpty() ? "restoring all databases" : "the server at " + target.address()
                            + " already has databases (" + String.join(", ", userDbs.subList(0, Math.min(5, userDbs.size())))
                            + "): restoring all databases replaces the tables the dump contains";
                    if (options.roles()) {
                        why += (userDbs.isEmpty() ? "" : ", and") + " with roles and permissions restores the backup's"
                                + " mysql system database, which replaces the accounts of " + target.address()
                                + " (passwords included) with the backup's";
                    }
                    throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, why + ": choose to overwrite, or "
                            + (options.roles() ? "restore without roles and permissions (the mysql system database is"
                            + " then skipped)" : "restore into an empty server"));
                }
                if (!options.roles()) {
                    warnings.add("roles and permissions were not restored: the backup's mysql system database (accounts"
                            + " and grants) was skipped");
                }
            } else {
                boolean exists;
                try (PreparedStatement ps = c.prepareStatement(
                        "select 1 from information_schema.schemata where schema_name = ?")) {
                    ps.setString(1, target.database());
                    try (ResultSet rs = ps.executeQuery()) {
                        exists = rs.next();
                    }
                }
                if (!exists) {
                    if (!options.createDatabase()) {
                        throw new DatabaseException(CheckStatus.DATABASE_MISSING, "database " + target.database()
                                + " does not exist on " + target.address() + ": create it, or restore with the option to create it");
                    }
                    if (options.roles()) {
                        createAccounts(c, target, accounts, warnings);
                    }
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE DATABASE " + quoteIdent(target.database()) + " CHARACTER SET utf8mb4");
                    }
                    warnings.add("created database " + target.database());
                } else {
                    long objects = 0;
                    try (PreparedStatement ps = c.prepareStatement("select (select count(*) from information_schema.tables"
                            + " where table_schema = ?) + (select count(*) from information_schema.routines where routine_schema = ?)")) {
                        ps.setString(1, target.database());
                        ps.setString(2, target.database());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            objects = rs.getLong(1);
                        }
                    }
                    if (objects > 0 && !options.overwrite()) {
                        throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, "database " + target.database() + " on "
                                + target.address() + " already holds " + objects + " tables, views or routines: restore into"
                                + " an empty or new database, or choose to overwrite (objects in the dump are replaced)");
                    }
                    if (options.roles()) {
                        createAccounts(c, target, accounts, warnings);
                    }
                }
            }
        } catch (SQLException e) {
            throw fromJdbc(e, target, "prepare the restore");
        }
        List<String> args = new ArrayList<>(List.of("--binary-mode", "--batch", "--default-character-set=utf8mb4"));
        if (!target.allDatabases()) {
            args.add("--database=" + target.database());
        }
        new ToolRunner(toolbox, SecretMasker.of(target), classifier(target))
                .run(tool(client.getFileName().toString(), client, target, args), dump, options.toolOutput(), false);
        if (options.roles() && accounts != null) {
            grant(target, accounts, options.tables(), warnings);
        }
        return new RestoreResult(target.target(), consumed[0], describe(target), warnings);
    }

    /**
     * Creates the accounts of a dump's accounts block that the target lacks (existing ones are left exactly as they
     * are: CREATE USER of an account that exists fails and changes nothing). Before any table is loaded, so the
     * definers of views, routines, triggers and events exist when those are created.
     */
    private void createAccounts(Connection c, ConnectionSpec target, MysqlAccounts.Block accounts, List<String> warnings)
            throws SQLException, DatabaseException {
        if (accounts == null) {
            warnings.add("this backup records no accounts (it was made before Cairn recorded them, or of all"
                    + " databases): definers are kept as written, and the accounts they name must exist for those"
                    + " objects to work");
            return;
        }
        SecretMasker masker = SecretMasker.of(target);
        warnings.addAll(accounts.notes());
        List<String> created = new ArrayList<>();
        List<String> existed = new ArrayList<>();
        for (String statement : accounts.accounts()) {
            String account = MysqlAccounts.createdAccount(statement);
            if (account == null) {
                warnings.add("skipped an account definition that is not a CREATE USER statement");
                continue;
            }
            try (Statement st = c.createStatement()) {
                st.execute(statement);
                created.add(account);
            } catch (SQLException e) {
                if (e.getErrorCode() == 1396) {
                    existed.add(account);
                } else if (e.getErrorCode() == 1227 || e.getErrorCode() == 1044 || e.getErrorCode() == 1142) {
                    throw new DatabaseException(CheckStatus.PERMISSION_DENIED, "user " + target.username() + " may not"
                            + " create the backup's accounts (" + account + (created.isEmpty() ? ""
                            : "; created so far: " + String.join(", ", created)) + "): restore without roles and"
                            + " permissions (the views, routines, triggers and events then belong to "
                            + target.username() + "), or as a user with the CREATE USER privilege; no table was restored");
                } else {
                    throw new DatabaseException(CheckStatus.OTHER, "cannot create account " + account + ": "
                            + masker.mask(String.valueOf(e.getMessage())), null);
                }
            }
        }
        if (!created.isEmpty()) {
            warnings.add("created accounts " + String.join(", ", created) + " as the backup defines them (with their"
                    + " passwords)");
        }
        if (!existed.isEmpty()) {
            warnings.add("accounts " + String.join(", ", existed) + " already existed and were left as they are"
                    + " (passwords unchanged)");
        }
    }

    /** Applies the block's grants on the backed-up database to the restored one; a grant that fails is a warning. */
    private void grant(ConnectionSpec target, MysqlAccounts.Block accounts, List<String> tables, List<String> warnings)
            throws DatabaseException {
        SecretMasker masker = SecretMasker.of(target);
        try (Connection c = connect(target, null)) {
            for (String grant : accounts.grants()) {
                String moved = MysqlAccounts.grantOn(grant, accounts.database(), target.database(), tables);
                if (moved == null) {
                    continue;
                }
                try (Statement st = c.createStatement()) {
                    st.execute(moved);
                } catch (SQLException e) {
                    warnings.add("not restored: " + moved + " (" + masker.mask(String.valueOf(e.getMessage())) + ")");
                }
            }
        } catch (SQLException e) {
            throw fromJdbc(e, target, "restore the backup's grants");
        }
    }
}
