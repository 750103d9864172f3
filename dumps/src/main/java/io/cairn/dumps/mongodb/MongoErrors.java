package io.cairn.dumps.mongodb;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.SecretMasker;

import java.util.Locale;

/** MongoDB driver failures as statuses with what to do. */
final class MongoErrors {
    private MongoErrors() {
    }

    static DatabaseException classify(RuntimeException e, ConnectionSpec spec, String action) {
        SecretMasker masker = SecretMasker.of(spec);
        String detail = masker.mask(chain(e));
        String lower = detail.toLowerCase(Locale.ROOT);
        CheckStatus status;
        String msg;
        java.util.Optional<String> tlsProblem = e instanceof MongoTimeoutException && requiresTls(spec)
                ? io.cairn.dumps.tool.TlsProbe.problem(spec.host(), spec.port(), java.time.Duration.ofSeconds(3))
                : java.util.Optional.empty();
        if (has(e, MongoSecurityException.class) || code(e) == 18 || lower.contains("authentication failed")) {
            status = CheckStatus.WRONG_PASSWORD;
            msg = "wrong password for user " + (spec.username() == null ? "(none)" : spec.username()) + " on "
                    + spec.address() + " (authentication database admin): check the password saved with this source";
        } else if (code(e) == 13 || lower.contains("not authorized") || lower.contains("unauthorized")) {
            status = CheckStatus.PERMISSION_DENIED;
            msg = "the user may not " + action + " on " + spec.address() + " (" + detail
                    + "): grant it the backup role (or read on the database), and restore for restores";
        } else if (lower.contains("ssl") || lower.contains("tls") || has(e, javax.net.ssl.SSLException.class)) {
            status = CheckStatus.TLS_FAILED;
            msg = "TLS mode " + spec.tls() + " failed against " + spec.address() + " (" + detail
                    + "): enable TLS on the server, trust its CA, or choose a weaker TLS mode";
        } else if (tlsProblem.isPresent()) {
            status = CheckStatus.TLS_FAILED;
            msg = "TLS mode " + spec.tls() + " failed against " + spec.address() + " (" + tlsProblem.get()
                    + "): enable TLS on the server, trust its CA, or choose a weaker TLS mode";
        } else if (e instanceof MongoTimeoutException || has(e, MongoSocketException.class)
                || has(e, java.net.ConnectException.class)) {
            status = CheckStatus.HOST_UNREACHABLE;
            msg = "nothing answers at " + spec.address() + ": check the host and port, that MongoDB is running,"
                    + " its bindIp, and any firewall (" + detail + ")";
        } else {
            status = CheckStatus.OTHER;
            msg = "cannot " + action + " on " + spec.target() + ": " + detail;
        }
        return new DatabaseException(status, masker.mask(msg), null);
    }

    private static boolean requiresTls(ConnectionSpec spec) {
        return spec.tls() == io.cairn.dumps.TlsMode.REQUIRE || spec.tls() == io.cairn.dumps.TlsMode.VERIFY_FULL;
    }

    private static int code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoCommandException mce) {
                return mce.getErrorCode();
            }
            if (t instanceof MongoException me && me.getCode() > 0) {
                return me.getCode();
            }
        }
        return -1;
    }

    private static boolean has(Throwable e, Class<?> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 600; t = t.getCause() == t ? null : t.getCause()) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(t instanceof com.mongodb.MongoException ? "" : t.getClass().getSimpleName() + " ").append(t.getMessage());
        }
        return sb.toString();
    }
}
