package io.cairn.dumps.mysql;

import io.cairn.dumps.tool.LineScanner;
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

    private final LineScanner lines;
    private final Mode mode;
    private boolean atLineStart = true;
    private boolean skipping;
    private byte[] pending = new byte[0];
    private int pendingPos;

    AccountFilter(InputStream in, Mode mode) {
        this.lines = new LineScanner(in);
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
                lines.fill(PEEK);
                if (lines.atEnd()) {
                    return -1;
                }
                String start = lines.peek(PEEK);
                if (mode == Mode.SYSTEM_DATABASE && start.startsWith(DATABASE)) {
                    byte[] line = wholeLine();
                    skipping = new String(line, StandardCharsets.UTF_8).startsWith(SYSTEM);
                    if (!skipping) {
                        pending = line;
                        pendingPos = 0;
                    }
                    continue;
                }
                if (skipping) {
                    lines.skipLine();
                    continue;
                }
                if (mode == Mode.DEFINERS && DEFINER_STARTS.stream().anyMatch(start::startsWith)) {
                    String line = new String(wholeLine(), StandardCharsets.UTF_8);
                    Matcher m = DEFINER.matcher(line);
                    pending = (m.find() ? line.substring(0, m.start()) + "DEFINER=CURRENT_USER" + line.substring(m.end())
                            : line).getBytes(StandardCharsets.UTF_8);
                    pendingPos = 0;
                    continue;
                }
                atLineStart = false;
            }
            int n = lines.readUpToLineEnd(b, off, len);
            if (n > 0 && b[off + n - 1] == '\n') {
                atLineStart = true;
            }
            return n;
        }
    }

    /** One whole line (a statement's head or a section comment), with its newline if it has one. */
    private byte[] wholeLine() throws IOException {
        return lines.readLine(true, Integer.MAX_VALUE - 16, "a line of the dump is too long to hold");
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
