package io.cairn.server.job;

import java.util.List;
import java.util.Map;

/** Reads the {@code contents} a job recorded (see {@link SourceReader#describe}) for logs and pages. */
final class Contents {

    private Contents() {
    }

    /** One line for the job's log: "PostgreSQL 15.20: 3 databases, 12 tables, 1234 rows". */
    static String summary(Map<String, Object> contents) {
        if ("files".equals(contents.get("kind"))) {
            Object top = contents.get("top");
            return "Files under " + contents.get("path") + (top instanceof List<?> l ? ": " + l.size()
                    + " entries at the top" : "");
        }
        StringBuilder sb = new StringBuilder();
        sb.append(contents.getOrDefault("server", "database"));
        Object version = contents.get("version");
        if (version != null) {
            sb.append(' ').append(version);
        }
        Object dbs = contents.get("databases");
        if (dbs instanceof List<?> list) {
            long tables = 0;
            long rows = 0;
            for (Object o : list) {
                if (o instanceof Map<?, ?> db && db.get("tables") instanceof List<?> t) {
                    tables += t.size();
                    for (Object table : t) {
                        if (table instanceof Map<?, ?> tm && tm.get("rows") instanceof Number n) {
                            rows += n.longValue();
                        }
                    }
                }
            }
            sb.append(": ").append(list.size()).append(list.size() == 1 ? " database, " : " databases, ").append(tables)
                    .append(" tables, ").append(rows).append(" rows");
        }
        return sb.toString();
    }
}
