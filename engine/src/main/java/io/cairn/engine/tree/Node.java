package io.cairn.engine.tree;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One entry of a directory listing.
 *
 * @param name       the entry's name: not empty, not "." or "..", no '/' and no NUL
 * @param type       file, dir or symlink
 * @param mode       permission bits including setuid/setgid/sticky (e.g. 0644 = 420)
 * @param uid        numeric owner
 * @param gid        numeric group
 * @param user       owner name when known
 * @param group      group name when known
 * @param mtimeNs    modification time, nanoseconds since the epoch
 * @param ctimeNs    status change time, nanoseconds since the epoch (change detection only)
 * @param inode      inode number (change detection and hard links)
 * @param device     device id (hard links)
 * @param links      hard link count
 * @param size       file size in bytes (files only)
 * @param content    ids of the data blobs whose concatenation is the file (files only)
 * @param subtree    id of the tree blob listing this directory (dirs only)
 * @param linkTarget where a symlink points (symlinks only), stored verbatim, never followed on restore
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "type", "mode", "uid", "gid", "user", "group", "mtimeNs", "ctimeNs", "inode", "device",
        "links", "size", "content", "subtree", "linkTarget"})
public record Node(String name, NodeType type, int mode, int uid, int gid, String user, String group, long mtimeNs,
                   long ctimeNs, long inode, long device, int links, long size, List<String> content, String subtree,
                   String linkTarget) {

    /** Whether {@code name} is a safe single path component. */
    public static boolean isSafeName(String name) {
        return name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\0') < 0 && name.indexOf('\\') < 0;
    }

    @JsonIgnore // a convenience, not a field of the tree format
    public boolean isDir() {
        return type == NodeType.DIR;
    }

    @JsonIgnore // a convenience, not a field of the tree format
    public boolean isFile() {
        return type == NodeType.FILE;
    }

    @JsonIgnore // a convenience, not a field of the tree format
    public boolean isSymlink() {
        return type == NodeType.SYMLINK;
    }

    public Node withName(String newName) {
        return new Node(newName, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, inode, device, links, size, content,
                subtree, linkTarget);
    }

    public Node withSubtree(String id) {
        return new Node(name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, inode, device, links, size, content, id,
                linkTarget);
    }

    public Node withContent(List<String> ids, long newSize) {
        return new Node(name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, inode, device, links, newSize, ids,
                subtree, linkTarget);
    }
}
