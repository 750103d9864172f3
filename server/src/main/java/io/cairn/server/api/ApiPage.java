package io.cairn.server.api;

import java.util.List;

/**
 * One page of a list in the API: {@code ?page=0&size=50} in, this out.
 *
 * @param page       zero-based page number
 * @param size       page size asked for
 * @param total      matches in all pages
 * @param totalPages number of pages
 */
public record ApiPage<T>(List<T> items, int page, int size, long total, int totalPages) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public static <T> ApiPage<T> of(List<T> items, int page, int size, long total) {
        return new ApiPage<>(items, page, size, total, size == 0 ? 0 : (int) ((total + size - 1) / size));
    }
}
