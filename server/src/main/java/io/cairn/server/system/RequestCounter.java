package io.cairn.server.system;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/** Counts the HTTP requests this server has received, so that {@link IdleHeapCollection} can tell an idle server. */
@Component
class RequestCounter implements Filter {

    private final LongAdder requests = new LongAdder();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        requests.increment();
        chain.doFilter(request, response);
    }

    long count() {
        return requests.sum();
    }
}
