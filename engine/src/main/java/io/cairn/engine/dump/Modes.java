package io.cairn.engine.dump;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Unix file type bits as archive formats store them, and the copy loop both sinks share. */
final class Modes {

    static final int FILE = 0100000;
    static final int DIR = 0040000;
    static final int SYMLINK = 0120000;
    /** Permission bits including setuid, setgid and sticky. */
    static final int PERMISSIONS = 07777;

    private Modes() {
    }

    static long copy(InputStream in, OutputStream out, byte[] buffer) throws IOException {
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }
}
