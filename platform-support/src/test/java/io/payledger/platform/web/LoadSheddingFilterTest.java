package io.payledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class LoadSheddingFilterTest {

    @Test
    void beyondItsBoundARequestIsAnswered503AtOnceAndOnceOneEndsTheNextIsServed() throws Exception {
        // Given a bound of two, and two requests being worked on (their handler waits until released)
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LoadSheddingFilter filter = new LoadSheddingFilter(2, meters);
        CountDownLatch inHandler = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = clients.submit(() -> serve(filter, "/v1/payments", inHandler, release));
            Future<?> second = clients.submit(() -> serve(filter, "/v1/payments", inHandler, release));
            assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();

            // When a third arrives
            MockHttpServletResponse third = serve(filter, "/v1/payments", null, null);

            // Then it is refused at once: 503 overloaded, with Retry-After, and counted; the handler never saw it
            assertThat(third.getStatus()).isEqualTo(503);
            assertThat(third.getHeader("Retry-After")).isEqualTo("1");
            assertThat(third.getContentType()).isEqualTo(ProblemJson.CONTENT_TYPE);
            assertThat(third.getContentAsString()).contains("overloaded", "2 requests");
            assertThat(meters.counter("http.server.requests.shed").count()).isEqualTo(1);
            // And health is answered even so
            assertThat(serve(filter, "/actuator/health/readiness", null, null).getStatus()).isEqualTo(200);

            // When the two end, then the next is served
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            assertThat(serve(filter, "/v1/payments", null, null).getStatus()).isEqualTo(200);
        } finally {
            clients.shutdownNow();
        }
    }

    private static MockHttpServletResponse serve(LoadSheddingFilter filter, String path, CountDownLatch inHandler,
                                                 CountDownLatch release) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        try {
            filter.doFilter(request, response, (req, res) -> {
                if (inHandler != null) {
                    inHandler.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return response;
    }
}
