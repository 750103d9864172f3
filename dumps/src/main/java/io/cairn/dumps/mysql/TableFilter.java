package io.cairn.dumps.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps, of a dump of one database made by mariadb-dump or mysqldump, what restoring some of its tables
 * needs: the header (session settings), each named table's sections (its structure, its data and its
 * triggers) and the trailer (settings restored); it drops the other tables, the views, events and routines.
 * Sections are recognised by the comment lines the dump tools write before them ("-- Table structure for
 * table `orders`", "-- Dumping data for table `orders`", ...); the trailer starts with the line that restores
 * the time zone. At the end it fails when a named table was not in the dump, so a typo is not a silent no-op.
 */
final class TableFilter extends InputStream {

    private static final String STRUCTURE = "-- Table structure for table `";
    private static final String DATA = "-- Dumping data for table `";
    private static final List<String> OTHER_SECTIONS = List.of("-- Temporary table structure for view `",
            "-- Temporary view structure for view `", "-- Final view structure for view `",
            "-- Dumping events for database", "-- Dumping routines for database", "-- Current Database: `");
    private static final String TRAILER = "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;";

    private final InputStream in;
    private final Set<String> wanted;
    private final Set<String> found = new LinkedHashSet<>();
    private byte[] line = new byte[8192];
    private int lineLength;
    private int linePosition;
    private boolean include = true;
    private boolean eof;

    TableFilter(InputStream in, List<String> tables) {
        this.in = in;
        this.wanted = new LinkedHashSet<>(tables);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (linePosition >= lineLength) {
            if (eof || !nextLine()) {
                eof = true;
                return -1;
            }
        }
        int n = Math.min(len, lineLength - linePosition);
        System.arraycopy(line, linePosition, b, off, n);
        linePosition += n;
        return n;
    }

    /** Reads the next line, decides whether it is kept; false at the end of the dump. */
    private boolean nextLine() throws IOException {
        lineLength = 0;
        linePosition = 0;
        int c;
        while ((c = in.read()) >= 0) {
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = (byte) c;
            if (c == '\n') {
                break;
            }
        }
        if (lineLength == 0) {
            Set<String> missing = new LinkedHashSet<>(wanted);
            missing.removeAll(found);
            if (!missing.isEmpty()) {
                throw new IOException("the backup has no table " + String.join(", ", missing)
                        + ": check the names (they are listed on the backup's page)");
            }
            return false;
        }
        classify();
        if (!include) {
            lineLength = 0;
        }
        return true;
    }

    private void classify() {
        if (lineLength < 3 || (line[0] != '-' && line[0] != '/')) {
            return;
        }
        String start = new String(line, 0, Math.min(lineLength, 600), StandardCharsets.UTF_8);
        if (start.startsWith(STRUCTURE) || start.startsWith(DATA)) {
            String name = quotedName(start, start.startsWith(STRUCTURE) ? STRUCTURE.length() : DATA.length());
            include = wanted.contains(name);
            if (include) {
                found.add(name);
            }
        } else if (start.startsWith(TRAILER)) {
            include = true;
        } else {
            for (String other : OTHER_SECTIONS) {
                if (start.startsWith(other)) {
                    include = false;
                    return;
                }
            }
        }
    }

    /** The name between backticks starting at {@code from} (a doubled backtick is one). */
    private static String quotedName(String s, int from) {
        StringBuilder name = new StringBuilder();
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '`') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '`') {
                    name.append('`');
                    i++;
                    continue;
                }
                break;
            }
            name.append(c);
        }
        return name.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
