package io.cairn.dumps.mysql;

import io.cairn.dumps.SecretMasker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The accounts of a one-database dump: the comment lines Cairn writes before mariadb-dump's output, so that a
 * restore of roles and permissions can create the accounts the database's objects and grants name. The mariadb
 * client skips them (they are comments); mariadb-dump itself never writes accounts for one database.
 *
 * <pre>
 * -- cairn-dump mysql-accounts v1 `shop`
 * -- (two lines saying what this is)
 * -- cairn-account CREATE USER `app`@`%` IDENTIFIED BY PASSWORD '*2B60...'
 * -- cairn-grant GRANT SELECT, INSERT ON `shop`.* TO `app`@`%`
 * -- cairn-accounts-end
 * </pre>
 *
 * Accounts are those with privileges on the database (mysql.db, tables_priv, columns_priv, procs_priv) and those
 * that define its views, routines, triggers and events; grants are theirs on this database only (never global ones
 * or other databases'). An account that cannot be read is listed as {@code -- cairn-account-unreadable}, and when
 * the dumping user may not read the grant tables at all the block says so ({@code -- cairn-accounts-unavailable});
 * the dump goes on either way. Only lines at the very start of the dump are read back, before any table data, so
 * data cannot pose as an account; a restore also applies only grants on the restored database.
 */
final class MysqlAccounts {

    static final String MAGIC = "-- cairn-dump mysql-accounts v1 ";
    static final String ACCOUNT = "-- cairn-account ";
    static final String UNREADABLE = "-- cairn-account-unreadable ";
    static final String GRANT = "-- cairn-grant ";
    static final String UNAVAILABLE = "-- cairn-accounts-unavailable ";
    static final String END = "-- cairn-accounts-end";
    /** A block longer than this is not a Cairn accounts block. */
    static final int MAX_BYTES = 16 << 20;

    private static final Pattern GRANT_ON = Pattern.compile(
            "^GRANT (.+?) ON ((?:PROCEDURE |FUNCTION |PACKAGE BODY |PACKAGE )?)`((?:[^`]|``)+)`\\.(\\*|`(?:[^`]|``)+`)"
                    + " TO (`(?:[^`]|``)*`@`(?:[^`]|``)*`|'(?:[^']|'')*'@'(?:[^']|'')*')( WITH GRANT OPTION)?$");
    private static final Pattern CREATE_USER = Pattern.compile("^CREATE USER (`(?:[^`]|``)*`@`(?:[^`]|``)*`|'(?:[^']|'')*'@'(?:[^']|'')*')( .*)?$");

    /** An accounts block as read from a dump. */
    record Block(String database, List<String> accounts, List<String> grants, List<String> notes) {
    }

    private MysqlAccounts() {
    }

    // ---------------------------------------------------------------- dump

    /**
     * The block for {@code database}, read over {@code c}. Never throws: what cannot be read is said in the block and
     * sent to {@code output}.
     */
    static byte[] block(Connection c, String database, SecretMasker masker, Consumer<String> output) {
        StringBuilder out = new StringBuilder(MAGIC).append(MysqlAdapter.quoteIdent(database)).append('\n')
                .append("-- Accounts with privileges on this database or defining its objects, and their grants on it,\n")
                .append("-- written by Cairn for a restore of roles and permissions; the mariadb client skips them.\n");
        try {
            TreeSet<String> accounts = new TreeSet<>();
            String pattern = likeEscaped(database);
            try (PreparedStatement ps = c.prepareStatement("select user, host from mysql.db where db in (?, ?)"
                    + " union select user, host from mysql.tables_priv where db = ?"
                    + " union select user, host from mysql.columns_priv where db = ?"
                    + " union select user, host from mysql.procs_priv where db = ?")) {
                ps.setString(1, database);
                ps.setString(2, pattern);
                ps.setString(3, database);
                ps.setString(4, database);
                ps.setString(5, database);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        accounts.add(account(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select definer from information_schema.views where table_schema = ?"
                    + " union select definer from information_schema.routines where routine_schema = ?"
                    + " union select definer from information_schema.triggers where trigger_schema = ?"
                    + " union select definer from information_schema.events where event_schema = ?")) {
                for (int i = 1; i <= 4; i++) {
                    ps.setString(i, database);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String definer = rs.getString(1);
                        int at = definer == null ? -1 : definer.lastIndexOf('@');
                        if (at > 0) { // a role (no host) is not an account
                            accounts.add(account(definer.substring(0, at), definer.substring(at + 1)));
                        }
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("SET SESSION print_identified_with_as_hex = ON"); // MySQL 8: binary hashes as hex
            } catch (SQLException notMysql8) {
                // MariaDB and older MySQL print hashes as text already
            }
            for (String account : accounts) {
                String create;
                List<String> grants = new ArrayList<>();
                try (Statement st = c.createStatement()) {
                    try (ResultSet rs = st.executeQuery("SHOW CREATE USER " + account)) {
                        rs.next();
                        create = rs.getString(1);
                    }
                    try (ResultSet rs = st.executeQuery("SHOW GRANTS FOR " + account)) {
                        while (rs.next()) {
                            String grant = rs.getString(1);
                            Matcher m = GRANT_ON.matcher(grant);
                            if (m.matches() && onDatabase(m.group(3), database)) {
                                grants.add(grant);
                            }
                        }
                    }
                } catch (SQLException e) {
                    String reason = oneLine(masker.mask(String.valueOf(e.getMessage())));
                    out.append(UNREADABLE).append(account).append(' ').append(reason).append('\n');
                    output.accept("account " + account + " is not in the dump: " + reason);
                    continue;
                }
                if (create == null || !create.startsWith("CREATE USER ") || create.contains("\n") || create.contains("\r")
                        || grants.stream().anyMatch(g -> g.contains("\n") || g.contains("\r"))) {
                    out.append(UNREADABLE).append(account).append(" its definition spans lines\n");
                    continue;
                }
                out.append(ACCOUNT).append(create).append('\n');
                for (String g : grants) {
                    out.append(GRANT).append(g).append('\n');
                }
            }
        } catch (SQLException e) {
            String reason = oneLine(masker.mask(String.valueOf(e.getMessage())));
            out.append(UNAVAILABLE).append(reason).append('\n');
            output.accept("the accounts of " + database + " are not in the dump (a restore of roles and permissions"
                    + " cannot create them): " + reason + "; grant the backup user SELECT on the mysql database to"
                    + " record them");
        }
        out.append(END).append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String account(String user, String host) {
        return MysqlAdapter.quoteIdent(user) + "@" + MysqlAdapter.quoteIdent(host);
    }

    /** The name as a grant pattern: {@code _} and {@code %} escaped. */
    private static String likeEscaped(String database) {
        return database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
    }

    private static boolean onDatabase(String quotedContent, String database) {
        String name = quotedContent.replace("``", "`");
        return name.equals(database) || name.equals(likeEscaped(database));
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /** The block of a dump whose accounts could not be read at all. */
    static byte[] unavailable(String database, String reason) {
        return (MAGIC + MysqlAdapter.quoteIdent(database) + "\n" + UNAVAILABLE + oneLine(reason) + "\n" + END + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- restore

    /** Whether {@code head} (the first bytes of a dump) starts with an accounts block. */
    static boolean startsWithBlock(byte[] head) {
        byte[] magic = MAGIC.getBytes(StandardCharsets.UTF_8);
        return head.length >= magic.length && java.util.Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    /**
     * Reads the accounts block at the start of {@code in} (which must start with {@link #MAGIC}) up to and including
     * its end line; the rest of {@code in} is the dump tool's script.
     *
     * @param consumed receives the number of bytes read
     */
    static Block read(InputStream in, long[] consumed) throws IOException {
        String database = null;
        List<String> accounts = new ArrayList<>();
        List<String> grants = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        while (true) {
            String line = readLine(in, consumed);
            if (line == null) {
                throw new IOException("the dump ends inside its accounts block: it is truncated");
            }
            if (consumed[0] > MAX_BYTES) {
                throw new IOException("the dump's accounts block is longer than " + (MAX_BYTES >> 20) + " MiB: it is damaged");
            }
            if (line.equals(END)) {
                break;
            }
            if (line.startsWith(MAGIC)) {
                database = unquote(line.substring(MAGIC.length()).strip());
            } else if (line.startsWith(ACCOUNT)) {
                accounts.add(line.substring(ACCOUNT.length()));
            } else if (line.startsWith(GRANT)) {
                grants.add(line.substring(GRANT.length()));
            } else if (line.startsWith(UNREADABLE)) {
                notes.add("account " + line.substring(UNREADABLE.length()) + " (not in the backup)");
            } else if (line.startsWith(UNAVAILABLE)) {
                notes.add("the backup holds no accounts: its user could not read them ("
                        + line.substring(UNAVAILABLE.length()) + ")");
            }
        }
        if (database == null) {
            throw new IOException("the dump's accounts block names no database: it is damaged");
        }
        return new Block(database, accounts, grants, notes);
    }

    private static String readLine(InputStream in, long[] consumed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            consumed[0]++;
            if (c == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(c);
            if (line.size() > MAX_BYTES) {
                throw new IOException("a line of the dump's accounts block is too long: it is damaged");
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private static String unquote(String quoted) {
        if (quoted.length() >= 2 && quoted.startsWith("`") && quoted.endsWith("`")) {
            return quoted.substring(1, quoted.length() - 1).replace("``", "`");
        }
        return quoted;
    }

    /** The account a CREATE USER statement of the block creates, or null when it is not one. */
    static String createdAccount(String statement) {
        Matcher m = CREATE_USER.matcher(statement);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * A grant of the block moved to {@code target}: the same privileges on the same objects of the restored database,
     * or null when the grant is not one on the backed-up database (so it is never applied) or is on a table outside
     * {@code onlyTables} (when not empty).
     */
    static String grantOn(String grant, String backedUp, String target, List<String> onlyTables) {
        Matcher m = GRANT_ON.matcher(grant);
        if (!m.matches() || !onDatabase(m.group(3), backedUp)) {
            return null;
        }
        if (!onlyTables.isEmpty() && m.group(2).isEmpty() && !m.group(4).equals("*")
                && !onlyTables.contains(unquote(m.group(4)))) {
            return null; // a table that is not restored
        }
        boolean pattern = !backedUp.equals(likeEscaped(backedUp)) && m.group(3).replace("``", "`").equals(likeEscaped(backedUp));
        String on = MysqlAdapter.quoteIdent(pattern ? likeEscaped(target) : target);
        return "GRANT " + m.group(1) + " ON " + m.group(2) + on + "." + m.group(4) + " TO " + m.group(5)
                + (m.group(6) == null ? "" : m.group(6));
    }
}
