package io.cairn.engine.archiver;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Include and exclude globs for a backup. A pattern without '/' matches an entry's name anywhere
 * ({@code *.log}, {@code node_modules}); a pattern starting with '/' matches the absolute path
 * ({@code /home/*}{@code /.cache}); any other pattern with '/' matches the end of the absolute path
 * ({@code build/tmp}). Syntax is Java's glob ({@code *}, {@code **}, {@code ?}, {@code [abc]},
 * {@code {a,b}}). An excluded directory is not descended into. With includes, only files matching
 * an include are saved (directories are still descended into).
 */
public final class PathFilter {

    private final List<PathMatcher> excludes = new ArrayList<>();
    private final List<PathMatcher> includes = new ArrayList<>();

    public PathFilter(List<String> excludePatterns, List<String> includePatterns) {
        for (String p : excludePatterns) {
            excludes.add(compile(p));
        }
        for (String p : includePatterns) {
            includes.add(compile(p));
        }
    }

    public static PathFilter none() {
        return new PathFilter(List.of(), List.of());
    }

    private static PathMatcher compile(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("empty include/exclude pattern");
        }
        String glob;
        if (pattern.startsWith("/")) {
            glob = pattern;
        } else if (pattern.contains("/")) {
            glob = "**/" + pattern;
        } else {
            PathMatcher byName = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            return path -> path.getFileName() != null && byName.matches(path.getFileName());
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid pattern '" + pattern + "': " + e.getMessage());
        }
    }

    /** Whether the entry at {@code absolute} is excluded. */
    public boolean excluded(Path absolute) {
        for (PathMatcher m : excludes) {
            if (m.matches(absolute)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a regular file (or symlink) at {@code absolute} passes the include patterns. */
    public boolean included(Path absolute) {
        if (includes.isEmpty()) {
            return true;
        }
        for (PathMatcher m : includes) {
            if (m.matches(absolute)) {
                return true;
            }
        }
        return false;
    }
}
