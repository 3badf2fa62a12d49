package io.payledger.platform.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the requests an instance works on at once. Beyond the bound a request is answered {@code 503} with
 * {@code Retry-After} at once, before its token is checked or its body read, instead of queueing: a queue longer
 * than the clients' patience is work done for nobody (the load test saw clients time out while the service went on
 * making their payments) and starves the instance's consumers of CPU. The clients' retries with the same
 * Idempotency-Key are safe. Health and metrics ({@code /actuator}) are never shed.
 */
public class LoadSheddingFilter extends OncePerRequestFilter {

    public static final String TYPE = "overloaded";
    static final String RETRY_AFTER_SECONDS = "1";

    private final int maxConcurrentRequests;
    private final Semaphore inFlight;
    private final Counter shed;

    public LoadSheddingFilter(int maxConcurrentRequests, MeterRegistry meters) {
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("max concurrent requests (HTTP_MAX_CONCURRENT_REQUESTS) must be "
                    + "positive, got " + maxConcurrentRequests);
        }
        this.maxConcurrentRequests = maxConcurrentRequests;
        this.inFlight = new Semaphore(maxConcurrentRequests);
        this.shed = Counter.builder("http.server.requests.shed")
                .description("Requests answered 503 at once because the instance was working on its maximum already")
                .register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!inFlight.tryAcquire()) {
            shed.increment();
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            ProblemJson.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, TYPE, "This instance is working on "
                    + maxConcurrentRequests + " requests already; retry shortly (with the same Idempotency-Key).");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            inFlight.release();
        }
    }
}
