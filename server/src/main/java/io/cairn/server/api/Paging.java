package io.cairn.server.api;

import io.cairn.server.problem.ProblemException;

/** Checks {@code page} and {@code size} request parameters and turns them into offset and limit. */
public record Paging(int page, int size) {

    public static Paging of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? ApiPage.DEFAULT_SIZE : size;
        if (p < 0) {
            throw ProblemException.invalid("page", "Must be 0 or more.");
        }
        if (s < 1 || s > ApiPage.MAX_SIZE) {
            throw ProblemException.invalid("size", "Must be between 1 and " + ApiPage.MAX_SIZE + ".");
        }
        if ((long) p * s > Integer.MAX_VALUE) {
            throw ProblemException.invalid("page", "Too large.");
        }
        return new Paging(p, s);
    }

    public int offset() {
        return page * size;
    }
}
