package io.cairn.dumps.mysql;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes out of a mariadb-dump (or mysqldump) script what names or changes accounts, for a restore without roles and
 * permissions:
 * <ul>
 *   <li>{@link Mode#DEFINERS} (a dump of one database): the {@code DEFINER=user@host} of every view, routine,
 *       trigger and event becomes {@code DEFINER=CURRENT_USER}, so the objects belong to the restoring user and need
 *       neither the original accounts nor the right to name another definer.</li>
 *   <li>{@link Mode#SYSTEM_DATABASE} (a dump of all databases): the sections of the {@code mysql} system database
 *       (accounts, grants, and the server's own tables) are skipped; the other databases pass as written.</li>
 * </ul>
 * Only the starts of lines are looked at, the way the dump tools write them: a definer clause opens its line
 * ({@code CREATE DEFINER=}, {@code /*!50013 DEFINER=}, {@code /*!50017 DEFINER=} after {@code /*!50003 CREATE*}{@code /},
 * {@code /*!50117 DEFINER=} after {@code /*!50106 CREATE*}{@code /}), and a database section starts with a
 * {@code -- Current Database: `name`} comment. Data lines (INSERT statements, one per line) pass through without
 * being held in memory.
 */
final class AccountFilter extends InputStream {

    enum Mode { DEFINERS, SYSTEM_DATABASE }

    private static final List<String> DEFINER_STARTS = List.of("CREATE DEFINER=", "/*!50013 DEFINER=",
            "/*!50003 CREATE*/ /*!50017 DEFINER=", "/*!50106 CREATE*/ /*!50117 DEFINER=");
    private static final String DATABASE = "-- Current Database: `";
    private static final String SYSTEM = DATABASE + "mysql`";
    private static final int PEEK = 48;
    private static final Pattern DEFINER = Pattern.compile(
            "DEFINER=(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[A-Za-z0-9_$.-]+)(?:@(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[A-Za-z0-9_$.%:-]+))?");

    private final InputStream in;
    private final Mode mode;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean atLineStart = true;
    private boolean skipping;
    private byte[] pending = new byte[0];
    private int pendingPos;

    AccountFilter(InputStream in, Mode mode) {
        this.in = in;
        this.mode = mode;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (pendingPos < pending.length) {
                int n = Math.min(len, pending.length - pendingPos);
                System.arraycopy(pending, pendingPos, b, off, n);
                pendingPos += n;
                return n;
            }
            if (atLineStart) {
                fill(PEEK);
                if (pos >= lim) {
                    return -1;
                }
                String start = new String(buf, pos, Math.min(PEEK, lim - pos), StandardCharsets.UTF_8);
                if (mode == Mode.SYSTEM_DATABASE && start.startsWith(DATABASE)) {
                    byte[] line = readLine();
                    skipping = new String(line, StandardCharsets.UTF_8).startsWith(SYSTEM);
                    if (!skipping) {
                        pending = line;
                        pendingPos = 0;
                    }
                    continue;
                }
                if (skipping) {
                    skipLine();
                    continue;
                }
                if (mode == Mode.DEFINERS && DEFINER_STARTS.stream().anyMatch(start::startsWith)) {
                    String line = new String(readLine(), StandardCharsets.UTF_8);
                    Matcher m = DEFINER.matcher(line);
                    pending = (m.find() ? line.substring(0, m.start()) + "DEFINER=CURRENT_USER" + line.substring(m.end())
                            : line).getBytes(StandardCharsets.UTF_8);
                    pendingPos = 0;
                    continue;
                }
                atLineStart = false;
            }
            if (pos >= lim && !fill(1)) {
                return -1;
            }
            int end = Math.min(lim, pos + len);
            int n = 0;
            while (pos + n < end) {
                if (buf[pos + n++] == '\n') {
                    atLineStart = true;
                    break;
                }
            }
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** Reads one whole line (with its newline, if any) from the buffer and the stream. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (pos >= lim && !fill(1)) {
                break;
            }
            int start = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            if (pos < lim) {
                pos++; // the newline
                line.write(buf, start, pos - start);
                break;
            }
            line.write(buf, start, pos - start);
        }
        atLineStart = true;
        return line.toByteArray();
    }

    /** Drops one whole line without holding it. */
    private void skipLine() throws IOException {
        while (pos < lim || fill(1)) {
            while (pos < lim) {
                if (buf[pos++] == '\n') {
                    atLineStart = true;
                    return;
                }
            }
        }
        atLineStart = true;
    }

    /** Ensures {@code want} unread bytes are buffered; false if the stream ends first. */
    private boolean fill(int want) throws IOException {
        if (lim - pos >= want) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < want && !eof) {
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
            }
        }
        return lim - pos >= want;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
