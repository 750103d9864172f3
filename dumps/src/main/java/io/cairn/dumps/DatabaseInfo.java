package io.cairn.dumps;

import java.util.List;
import java.util.Optional;

/**
 * One database of a server: its name, size and contents.
 *
 * @param name      the database name (Redis: the database number; SQLite: the file name)
 * @param sizeBytes its size on the server in bytes, or -1 where the server cannot tell
 * @param objects   its tables, views, collections or keyspaces, sorted by name
 */
public record DatabaseInfo(String name, long sizeBytes, List<ObjectInfo> objects) {

    public DatabaseInfo {
        objects = List.copyOf(objects);
    }

    /** The object with this name, if any. */
    public Optional<ObjectInfo> object(String objectName) {
        return objects.stream().filter(o -> o.name().equals(objectName)).findFirst();
    }

    /** Rows (keys, documents) over all tables and collections; views do not count. */
    public long totalCount() {
        return objects.stream().mapToLong(o -> Math.max(0, o.count())).sum();
    }
}
