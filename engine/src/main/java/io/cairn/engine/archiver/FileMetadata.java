package io.cairn.engine.archiver;

import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Reads the POSIX metadata of a path (without following symlinks) into a {@link Node}. */
final class FileMetadata {

    private static final String ATTRIBUTES =
            "unix:mode,ino,dev,nlink,uid,gid,ctime,size,lastModifiedTime,isRegularFile,isDirectory,isSymbolicLink";
    private final Map<Integer, String> userNames = new ConcurrentHashMap<>();
    private final Map<Integer, String> groupNames = new ConcurrentHashMap<>();

    /** The kind of entry, or null for special files (devices, fifos, sockets). */
    record Stat(NodeType type, Node node) {
    }

    Stat stat(Path path, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        NodeType type;
        if (Boolean.TRUE.equals(a.get("isRegularFile"))) {
            type = NodeType.FILE;
        } else if (Boolean.TRUE.equals(a.get("isDirectory"))) {
            type = NodeType.DIR;
        } else if (Boolean.TRUE.equals(a.get("isSymbolicLink"))) {
            type = NodeType.SYMLINK;
        } else {
            return new Stat(null, null);
        }
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        String user = userNames.computeIfAbsent(uid, u -> ownerName(path));
        String group = groupNames.computeIfAbsent(gid, g -> groupName(path));
        long size = type == NodeType.FILE ? (Long) a.get("size") : 0;
        String target = type == NodeType.SYMLINK ? Files.readSymbolicLink(path).toString() : null;
        Node node = new Node(name, type, ((Integer) a.get("mode")) & 07777, uid, gid, user, group,
                nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")), (Long) a.get("ino"),
                (Long) a.get("dev"), (Integer) a.get("nlink"), size, type == NodeType.FILE ? List.of() : null, null, target);
        return new Stat(type, node);
    }

    static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    private static String ownerName(Path path) {
        try {
            return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static String groupName(Path path) {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .group().getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
