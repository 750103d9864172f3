package io.cairn.dumps.postgres;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.SecretMasker;
import io.cairn.dumps.tool.ErrorClassifier;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;

/** PostgreSQL's failures (libpq tool messages and JDBC SQL states) as statuses with what to do. */
final class PostgresErrors {
    private PostgresErrors() {
    }

    /** Classifies libpq / pg_dump / pg_restore / psql stderr. */
    static ErrorClassifier classifier(ConnectionSpec spec) {
        return stderr -> {
            String s = stderr.toLowerCase(Locale.ROOT);
            if (s.contains("password authentication failed") || s.contains("no password supplied")
                    || s.contains("fe_sendauth")) {
                return c(CheckStatus.WRONG_PASSWORD, wrongPassword(spec));
            }
            if (s.contains("database \"") && s.contains("does not exist")) {
                return c(CheckStatus.DATABASE_MISSING, "check the database name; PostgreSQL lists them with \\l");
            }
            if (s.contains("connection refused") || s.contains("could not translate host name")
                    || s.contains("timeout expired") || s.contains("no route to host")
                    || s.contains("could not connect")) {
                return c(CheckStatus.HOST_UNREACHABLE, unreachable(spec));
            }
            if (s.contains("server version mismatch") || s.contains("unsupported version")) {
                return c(CheckStatus.VERSION_MISMATCH, "install the PostgreSQL client of the server's major version"
                        + " (apt-get install postgresql-client-NN)");
            }
            if (s.contains("ssl") || s.contains("certificate")) {
                return c(CheckStatus.TLS_FAILED, tlsHint(spec));
            }
            if (s.contains("error:  role \"") && s.contains("does not exist")) {
                return c(CheckStatus.OTHER, "the dump names a role this server lacks: restore with roles and permissions"
                        + " (missing roles are created), or create the role first");
            }
            if (s.contains("must be member of role")) {
                return c(CheckStatus.PERMISSION_DENIED, "keeping the backup's owners needs a superuser (or membership in"
                        + " each owner role): restore as a superuser, or without roles and permissions (the objects then"
                        + " belong to the restoring user)");
            }
            if (s.contains("permission denied") || s.contains("must be superuser") || s.contains("no pg_hba.conf entry")
                    || s.contains("must be owner")) {
                return c(CheckStatus.PERMISSION_DENIED, "grant the user the rights it needs (or use the database owner)");
            }
            return c(CheckStatus.OTHER, "");
        };
    }

    private static ErrorClassifier.Classification c(CheckStatus status, String hint) {
        return new ErrorClassifier.Classification(status, hint);
    }

    static String wrongPassword(ConnectionSpec spec) {
        return "wrong password for user " + (spec.username() == null ? "(default)" : spec.username()) + " on "
                + spec.address() + ": check the password saved with this source";
    }

    static String unreachable(ConnectionSpec spec) {
        return "nothing answers at " + spec.address() + ": check the host and port, that PostgreSQL is running,"
                + " listen_addresses, and any firewall";
    }

    static String tlsHint(ConnectionSpec spec) {
        return "TLS mode " + spec.tls() + " failed: enable ssl on the server, install its CA certificate"
                + " (~/.postgresql/root.crt), or choose a weaker TLS mode";
    }

    /** A JDBC failure as a user-facing exception. */
    static DatabaseException fromJdbc(SQLException e, ConnectionSpec spec, String action) {
        SecretMasker masker = SecretMasker.of(spec);
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = masker.mask(e.getMessage());
        Throwable cause = rootCause(e);
        CheckStatus status;
        String msg;
        String lower = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
        if (state.equals("28P01") || lower.contains("password authentication failed")
                || lower.contains("password-based authentication")) {
            status = CheckStatus.WRONG_PASSWORD;
            msg = wrongPassword(spec);
        } else if (state.equals("3D000")) {
            status = CheckStatus.DATABASE_MISSING;
            msg = "database " + spec.database() + " does not exist on " + spec.address()
                    + ": check the name, or create it";
        } else if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException
                || state.equals("08001") && !lower.contains("ssl")) {
            status = CheckStatus.HOST_UNREACHABLE;
            msg = unreachable(spec) + " (" + detail + ")";
        } else if (lower.contains("ssl") || cause instanceof javax.net.ssl.SSLException) {
            status = CheckStatus.TLS_FAILED;
            msg = tlsHint(spec) + " (" + detail + ")";
        } else if (state.equals("42501") || state.equals("28000")) {
            status = CheckStatus.PERMISSION_DENIED;
            msg = "user " + spec.username() + " may not " + action + " on " + spec.address() + ": " + detail;
        } else {
            status = CheckStatus.OTHER;
            msg = "cannot " + action + " on " + spec.target() + ": " + detail;
        }
        return new DatabaseException(status, masker.mask(msg), null);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
