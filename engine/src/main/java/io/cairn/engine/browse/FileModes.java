package io.cairn.engine.browse;

import io.cairn.engine.tree.NodeType;

/** Renders a node's type and permission bits the way {@code ls -l} does ("drwxr-xr-x", "-rwsr-x--T"). */
public final class FileModes {

    private FileModes() {
    }

    /**
     * The ten-character mode string: type ('d', 'l' or '-'), then owner, group and other permissions, with
     * setuid/setgid shown as 's' (or 'S' without execute) and sticky as 't' (or 'T').
     */
    public static String symbolic(NodeType type, int mode) {
        char[] s = new char[10];
        s[0] = switch (type) {
            case DIR -> 'd';
            case SYMLINK -> 'l';
            case FILE -> '-';
        };
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-';
        }
        s[3] = special(mode, 04000, 0100, 's', 'S', s[3]);
        s[6] = special(mode, 02000, 010, 's', 'S', s[6]);
        s[9] = special(mode, 01000, 01, 't', 'T', s[9]);
        return new String(s);
    }

    private static char special(int mode, int bit, int exec, char withExec, char withoutExec, char current) {
        if ((mode & bit) == 0) {
            return current;
        }
        return (mode & exec) != 0 ? withExec : withoutExec;
    }
}
