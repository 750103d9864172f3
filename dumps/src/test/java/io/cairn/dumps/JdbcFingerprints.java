package io.cairn.dumps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/** Checksums of query results, for comparing tables across databases in tests. */
public final class JdbcFingerprints {
    private JdbcFingerprints() {
    }

    /** SHA-256 over every row and column of {@code query} (order it!), with NULL distinct from every value. */
    public static String of(Connection c, String query) throws SQLException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long rows = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    if (v == null) {
                        md.update((byte) 0);
                    } else {
                        md.update((byte) 1);
                        byte[] b = v instanceof byte[] bytes ? bytes : String.valueOf(v).getBytes(StandardCharsets.UTF_8);
                        md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
                        md.update((byte) ':');
                        md.update(b);
                    }
                }
            }
        }
        return rows + " rows " + HexFormat.of().formatHex(md.digest()).substring(0, 24);
    }
}
